import { thresholdBucket } from '../kernels/magnitude-rank.js';
import {
  KEEP_ALL,
  type KeepRule,
  TASK_VECTOR_BF16_MAX_MODELS,
  type TaskVectorBf16Session,
  taskVectorBf16Kernels,
} from '../kernels/task-vector-bf16-wasm.js';
import { mixConstants } from '../kernels/weighted-sum.js';
import type { Bf16InputSlots } from './merge-methods.js';
import { keptCount } from './sparsify.js';
import { effectiveSparsification, l1Factor, scalarRescaleFactor, unsparsifiedFactor } from './task-vector.js';
import {
  disjointMixOptions,
  electionWeights,
  type TaskVectorMergeOptions,
  type TaskVectorModelParameters,
} from './task-vector-merge.js';
import { modelRandom, type TensorContext } from './tensor-context.js';

let slotsHeld = false;

/** The kernels' input slots, for readers that want to hand `taskVectorMergeBf16` inputs it need not copy. */
export const taskVectorBf16InputSlots: Bf16InputSlots = {
  acquire(maxElements, inputs) {
    const kernels = taskVectorBf16Kernels();
    if (slotsHeld || !kernels || inputs > TASK_VECTOR_BF16_MAX_MODELS + 1) return undefined;
    if (!kernels.reserveInputSlots(maxElements, inputs)) return undefined;
    slotsHeld = true;
    let released = false;
    return {
      slots: (set, elements, count) => kernels.inputSlots(set, elements, count),
      release() {
        if (released) return;
        released = true;
        slotsHeld = false;
      },
    };
  },
};

/** Below this many elements the general path is as fast (no chunk copies). */
const MIN_ELEMENTS = 2048;

/**
 * `taskVectorMerge` straight from BF16 checkpoint bytes to a BF16 result, for the common TIES-family
 * settings: sum election with a fixed tie sign, at most four models, each task vector either whole,
 * magnitude-trimmed over the tensor (no L1 rescale) or DARE-masked (any rescale). Per model it makes
 * one histogram pass and one short pass over the threshold bucket (TIES) or one mask pass (DARE), then
 * one fused trim + election + mix + encode pass: no float32 copy of any input is ever written.
 * The same bits as decoding, `taskVectorMerge` and encoding; undefined when the settings are outside
 * that set or some result is not finite (the general path then runs and reports the culprit). The result
 * goes into `output` when given with the right length.
 */
export function taskVectorMergeBf16(
  base: Uint16Array,
  models: readonly Uint16Array[],
  parameters: readonly TaskVectorModelParameters[],
  options: TaskVectorMergeOptions,
  context: TensorContext,
  output?: Uint16Array,
): Uint16Array | undefined {
  const n = base.length;
  const count = models.length;
  if (options.consensus !== 'sum' || options.zeroSign === 'majority') return undefined;
  if (count === 0 || count > TASK_VECTOR_BF16_MAX_MODELS || n < MIN_ELEMENTS) return undefined;
  if (models.some((model) => model.length !== n)) return undefined;
  const sparsifications = parameters.map((p) => effectiveSparsification(p.density, options));
  const masked = sparsifications.includes('random');
  for (const [m, sparsification] of sparsifications.entries()) {
    if (sparsification === 'none' || sparsification === 'random') continue;
    const trimmable =
      sparsification === 'magnitude' &&
      options.trimScope === 'tensor' &&
      options.rescale !== 'l1_norm' &&
      keptCount(parameters[m]!.density, n) > 0;
    if (!trimmable || masked) return undefined;
  }
  const offset = context.offset ?? 0;
  // DARE keeps element i when draw i < ⌈density·2³²⌉ (the same test for integer draws as < density·2³²).
  const thresholds = sparsifications.map((s, m) =>
    s === 'random' ? Math.ceil(parameters[m]!.density * 4294967296) : undefined,
  );
  if (masked) {
    // The counter's high word must stay constant within the tensor (only > 4 Gi elements cross it), and
    // a density within 2⁻³² of 1 (threshold 2³²) does not fit the kernel's u32.
    if (Math.floor(offset / 4294967296) !== Math.floor((offset + n) / 4294967296)) return undefined;
    if (thresholds.some((t) => t !== undefined && t > 0xffffffff)) return undefined;
  }
  const kernels = taskVectorBf16Kernels();
  if (!kernels) return undefined;
  const session = kernels.load(base, models);
  if (!session) return undefined;

  const factors = new Float64Array(count);
  let keep: KeepRule[] | 'masks';
  if (masked) {
    const needL1 = options.rescale === 'l1_norm';
    const sums = session.dareMasks(
      thresholds.map((threshold, m) =>
        threshold === undefined
          ? undefined
          : { keys: modelRandom(context, m).streamKeys(), start: offset, threshold },
      ),
      needL1,
    );
    for (let m = 0; m < count; m++) {
      const density = parameters[m]!.density;
      if (sparsifications[m] === 'none') factors[m] = unsparsifiedFactor(density, options);
      else factors[m] = sums ? l1Factor(sums[m]![0]!, sums[m]![1]!) : scalarRescaleFactor(density, options);
    }
    keep = 'masks';
  } else {
    const trimmed: { model: number; k: number }[] = [];
    parameters.forEach((p, m) => {
      if (sparsifications[m] === 'none') factors[m] = unsparsifiedFactor(p.density, options);
      else {
        factors[m] = scalarRescaleFactor(p.density, options);
        const k = keptCount(p.density, n);
        if (k < n) trimmed.push({ model: m, k });
      }
    });
    const rules = trimRules(session, trimmed, options.topKTies === 'keep_ties');
    if (!rules) return undefined;
    keep = parameters.map((_, m) => rules.get(m) ?? KEEP_ALL);
  }

  const weights = Float64Array.from(parameters, (p) => p.weight);
  const constants = mixConstants(disjointMixOptions(weights, factors, options), count);
  constants.set(electionWeights(weights, factors, options), 16);
  return session.mix(keep, constants, output);
}

/**
 * The keep rules of TIES's exact top-k by |δ| (ties broken by lower index, or all kept with `keepTies`)
 * for each trimmed model: the histogram of the high 16 magnitude bits picks the bucket of the k-th
 * largest; the bucket's members (in index order) give the exact threshold and how far along the equal
 * ones survive. Undefined if the members do not fit in memory.
 */
function trimRules(
  session: TaskVectorBf16Session,
  trimmed: readonly { model: number; k: number }[],
  keepTies: boolean,
): Map<number, KeepRule> | undefined {
  const models = trimmed.map((t) => t.model);
  const highs = trimmed.map(() => new Uint32Array(65536));
  session.deltaHistograms(models, highs);
  const selected = trimmed.map((t, j) => thresholdBucket(highs[j]!, t.k));
  const members = session.bucketMembers(
    models,
    selected.map((s) => s.bucket),
    selected.map((s, j) => highs[j]![s.bucket]!),
  );
  if (!members) return undefined;
  const rules = new Map<number, KeepRule>();
  trimmed.forEach(({ model }, j) => {
    const { bucket } = selected[j]!;
    const { indices, bits } = members[j]!;
    const low = new Uint32Array(65536);
    for (let i = 0; i < bits.length; i++) low[bits[i]! & 0xffff]!++;
    const within = thresholdBucket(low, selected[j]!.remaining);
    const threshold = ((bucket << 16) | within.bucket) >>> 0;
    // `remaining` of the members equal to the threshold survive, the first ones in index order.
    let remaining = within.remaining;
    let cutoff = 0xffffffff;
    if (!keepTies && remaining < low[within.bucket]!) {
      for (let i = 0; i < bits.length; i++) {
        if (bits[i] === threshold && --remaining === 0) {
          cutoff = indices[i]! + 1;
          break;
        }
      }
    }
    rules.set(model, { threshold, cutoff, bucket });
  });
  return rules;
}
