import { mergeError } from '../errors.js';
import {
  type DisjointMixOptions,
  disjointMixInto,
  electionMixInto,
  weightedSumInto,
} from '../kernels/weighted-sum.js';
import type { Sparsification, SparsifyOptions, SparsifyParameters } from './sparsify.js';
import { prepareTaskVector } from './task-vector.js';
import type { TensorContext } from './tensor-context.js';

/** Per-model parameters of the task-vector family. */
export interface TaskVectorModelParameters extends SparsifyParameters {
  readonly weight: number;
}

/**
 * The generalized task-arithmetic pipeline (mergekit's `generalized_task_arithmetic`) with every
 * point where mergekit and the papers disagree exposed as an option.
 */
export interface TaskVectorMergeOptions extends SparsifyOptions {
  readonly method: Sparsification;
  /** Sign election: none, `sum` (sign of the summed deltas) or `count` (majority of signs). */
  readonly consensus: 'none' | 'sum' | 'count';
  /** `weighted`: elect on wᵢδᵢ (mergekit, issue #474); `unweighted`: on the trimmed δᵢ (paper, PEFT). */
  readonly electionInput: 'weighted' | 'unweighted';
  /** Sign where the election is a tie: +1 (mergekit, PEFT), −1 (FusionBench EMR), or the tensor's majority elected sign (TIES code). */
  readonly zeroSign: 'positive' | 'negative' | 'majority';
  /** Divide the mix by its divisor. */
  readonly normalize: boolean;
  /** Divisor with consensus: Σ agreeing weights (mergekit) or count of agreeing models (paper, PEFT). */
  readonly divisor: 'weight' | 'count';
  /** Final scale of the mixed delta. */
  readonly lambda: number;
}

/** The disjoint mix's per-model constants for user weights × rescale factors (before a majority tie sign). */
export function disjointMixOptions(
  weights: Float64Array,
  factors: Float64Array,
  options: TaskVectorMergeOptions,
): DisjointMixOptions {
  const weightedElection = options.electionInput === 'weighted';
  return {
    // Agreement is judged on the election input: sign(w·δ) when weighted, sign(δ) otherwise.
    electionSigns: Float64Array.from(weights, (w) => (weightedElection ? Math.sign(w) : 1)),
    mixWeights: Float64Array.from(weights, (w, m) => w * factors[m]!),
    contributions:
      options.divisor === 'count' ? new Float64Array(weights.length).fill(1) : Float64Array.from(weights),
    tieSign: options.zeroSign === 'negative' ? -1 : 1,
    normalize: options.normalize,
    lambda: options.lambda,
  };
}

/** What each model's δ is multiplied by in the election sum: w·factor when weighted, factor otherwise. */
export function electionWeights(
  weights: Float64Array,
  factors: Float64Array,
  options: TaskVectorMergeOptions,
): Float64Array {
  const weighted = options.electionInput === 'weighted';
  return Float64Array.from(weights, (w, m) => (weighted ? w : 1) * factors[m]!);
}

/** Whether `taskVectorMerge` gives identical bits when fed whole rows at a time (row chunks). */
export function taskVectorMergeIsRowLocal(options: TaskVectorMergeOptions): boolean {
  if (options.consensus !== 'none' && options.zeroSign === 'majority') return false;
  if (options.method === 'none') return true;
  if (options.rescale === 'l1_norm') return false;
  if (options.method === 'random' || options.method === 'della_magprune') return true;
  return options.trimScope === 'row';
}

/**
 * θ = θ₀ + λ · mix(wᵢ · sparsify(θᵢ − θ₀)). Inputs are not modified unless `scratch.reuseModels`
 * (the streaming executor owns its decoded arrays and lets the deltas overwrite them).
 */
export function taskVectorMerge(
  base: Float32Array,
  models: readonly Float32Array[],
  parameters: readonly TaskVectorModelParameters[],
  options: TaskVectorMergeOptions,
  context: TensorContext,
  scratch: {
    readonly reuseModels?: boolean;
    readonly output?: Float32Array;
    /** Set to true when the result was checked finite on the way (the caller may skip its check). */
    readonly verified?: { finite?: boolean };
  } = {},
): Float32Array {
  const n = base.length;
  const count = models.length;
  if (count === 0)
    throw mergeError(
      'E_CONFIG',
      `tensor '${context.name}': the task-vector family needs at least one model besides the base`,
    );
  const deltas: Float32Array[] = [];
  // Effective weights: user weight × the sparsifier's scalar rescale factor.
  const weights = new Float64Array(count);
  const factors = new Float64Array(count);
  for (let m = 0; m < count; m++) {
    const model = models[m]!;
    if (model.length !== n) {
      throw mergeError(
        'E_SHAPE_MISMATCH',
        `tensor '${context.name}': model ${m} has ${model.length} elements, the base ${n}`,
      );
    }
    const delta = scratch.reuseModels ? model : new Float32Array(n);
    factors[m] = prepareTaskVector(model, base, delta, parameters[m]!, options, context, m);
    deltas.push(delta);
    weights[m] = parameters[m]!.weight;
  }
  // A caller-provided output saves allocating (and later collecting) one array per tensor.
  const reused = scratch.output !== undefined && scratch.output.length === n;
  const out = reused ? scratch.output! : new Float32Array(n);
  const lambda = options.lambda;
  if (options.consensus === 'none') {
    let weightSum = 0;
    for (let m = 0; m < count; m++) weightSum += weights[m]!;
    const divisor = options.normalize && Math.abs(weightSum) >= 1e-8 ? weightSum : 1;
    const scale = lambda / divisor;
    weightedSumInto(
      out,
      deltas,
      Float64Array.from(weights, (w, m) => w * factors[m]! * scale),
    );
    for (let i = 0; i < n; i++) out[i] = base[i]! + out[i]!;
    return out;
  }
  const mixOptions = () => disjointMixOptions(weights, factors, options);
  if (options.consensus === 'sum' && options.zeroSign !== 'majority') {
    // Election and mix fused: the score is element-local when the tie sign is fixed.
    const finite = electionMixInto(
      out,
      base,
      deltas,
      electionWeights(weights, factors, options),
      mixOptions(),
    );
    if (finite && scratch.verified) scratch.verified.finite = true;
    return out;
  }
  // Election score accumulates in `out`; the final pass overwrites it with the result.
  if (options.consensus === 'sum') {
    weightedSumInto(out, deltas, electionWeights(weights, factors, options));
  } else {
    if (reused) out.fill(0); // the count election accumulates into `out`
    for (let m = 0; m < count; m++) {
      const s = Math.sign(options.electionInput === 'weighted' ? weights[m]! * factors[m]! : factors[m]!);
      const d = deltas[m]!;
      for (let i = 0; i < n; i++) {
        const v = d[i]!;
        out[i] = out[i]! + (v > 0 ? s : v < 0 ? -s : 0);
      }
    }
  }
  let tieSign = options.zeroSign === 'negative' ? -1 : 1;
  if (options.zeroSign === 'majority') {
    let elected = 0;
    for (let i = 0; i < n; i++) elected += out[i]! > 0 ? 1 : out[i]! < 0 ? -1 : 0;
    tieSign = elected >= 0 ? 1 : -1;
  }
  disjointMixInto(out, out, base, deltas, { ...mixOptions(), tieSign });
  return out;
}
