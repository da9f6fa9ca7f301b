import { type Checkpoint, toFloat32 } from '@modelsmith/core-tensor';
import { mergeError } from '../errors.js';
import { thresholdBucket } from '../kernels/magnitude-rank.js';
import { keptCount } from '../methods/sparsify.js';
import type { ModelTrim } from '../methods/tensor-context.js';
import type { MergePlan, PlannedInput, PlannedTensor } from './merge-plan.js';

/** Elements per input read at a time by the statistics passes (bounded memory). */
const CHUNK_ELEMENTS = 4 * 1024 * 1024;

/**
 * `trim_scope: model` (the official TIES trim): each task vector keeps the top `density` fraction of
 * |δ| over all the tensors it is merged in, not per tensor. Two read-only passes over every input find,
 * per model, the exact k-th largest magnitude — the histogram of the high 16 bits of |δ| picks its bucket,
 * the histogram of the low 16 bits inside that bucket the value — before the merge pass applies it.
 * Elements equal to the threshold: all kept with `topk_ties: keep_ties` (the paper), else the first ones
 * in merge order (tensor order of the plan, then index) until exactly k are kept.
 * Undefined when no tensor asks for it. Checks the settings before reading any data.
 */
export async function modelTrimStatistics(
  plan: MergePlan,
  checkpoints: readonly Checkpoint[],
): Promise<(ModelTrim | undefined)[] | undefined> {
  const trimmed = plan.tensors.filter((t) => t.kind === 'merge' && t.global.trim_scope === 'model');
  if (trimmed.length === 0) return undefined;
  if (plan.method !== 'ties') {
    throw mergeError(
      'E_CONFIG',
      `trim_scope: model applies to ties (magnitude trims), not to ${plan.method}`,
    );
  }
  if (trimmed.length !== plan.tensors.filter((t) => t.kind === 'merge').length) {
    throw mergeError(
      'E_CONFIG',
      'trim_scope: model must hold for every merged tensor (a filter gave some tensors another scope)',
    );
  }
  const count = trimmed[0]!.models.length;
  const densities = Array.from({ length: count }, (_, m) => {
    const values = new Set(trimmed.map((t) => t.perModel[m]!.density as number));
    if (values.size > 1) {
      throw mergeError(
        'E_CONFIG',
        `trim_scope: model ranks model ${m}'s whole task vector, so its density must be one value; got ${[...values].join(', ')}`,
      );
    }
    return [...values][0]!;
  });
  const keepTies = trimmed[0]!.global.topk_ties === 'keep_ties';
  const total = trimmed.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  const ranked = densities.flatMap((density, m) => (density < 1 && density > 0 ? [m] : []));

  // Pass 1: high 16 bits of |δ| per model.
  const highs = ranked.map(() => new Uint32Array(65536));
  await forEachDelta(trimmed, checkpoints, ranked, (j, bits) => {
    const high = highs[j]!;
    for (let i = 0; i < bits.length; i++) high[(bits[i]! & 0x7fffffff) >>> 16]!++;
  });
  const selected = ranked.map((m, j) => thresholdBucket(highs[j]!, keptCount(densities[m]!, total)));
  // Pass 2: low 16 bits inside each model's bucket.
  const lows = ranked.map(() => new Uint32Array(65536));
  await forEachDelta(trimmed, checkpoints, ranked, (j, bits) => {
    const low = lows[j]!;
    const bucket = selected[j]!.bucket;
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]! & 0x7fffffff;
      if (b >>> 16 === bucket) low[b & 0xffff]!++;
    }
  });
  const trims: (ModelTrim | undefined)[] = Array.from({ length: count }, () => undefined);
  ranked.forEach((m, j) => {
    const within = thresholdBucket(lows[j]!, selected[j]!.remaining);
    let remaining = within.remaining;
    trims[m] = {
      threshold: ((selected[j]!.bucket << 16) | within.bucket) >>> 0,
      take(equalCount) {
        if (keepTies) return equalCount;
        const taken = Math.min(equalCount, remaining);
        remaining -= taken;
        return taken;
      },
    };
  });
  // density 0 keeps nothing: a threshold above every magnitude
  densities.forEach((density, m) => {
    if (density <= 0) trims[m] = { threshold: 0xffffffff, take: () => 0 };
  });
  return trims;
}

/** Calls visit(j, bits of |δ| as float32) for model ranked[j] over every tensor, in row chunks. */
async function forEachDelta(
  tensors: readonly PlannedTensor[],
  checkpoints: readonly Checkpoint[],
  ranked: readonly number[],
  visit: (j: number, bits: Uint32Array) => void,
): Promise<void> {
  const read = async (input: PlannedInput, planned: PlannedTensor, start: number, end: number) => {
    const checkpoint = checkpoints[input.checkpoint]!;
    const rows = checkpoint.info(input.tensor).shape[0];
    const whole = planned.shape.length === 0 || (start === 0 && end === rows);
    return toFloat32(
      whole ? await checkpoint.read(input.tensor) : await checkpoint.readRows(input.tensor, start, end),
    );
  };
  for (const planned of tensors) {
    const rows = planned.shape[0] ?? 1;
    const rowLength = planned.shape.length === 0 ? 1 : planned.shape.slice(1).reduce((a, b) => a * b, 1);
    const step = Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(1, rowLength)));
    for (let start = 0; start < rows; start += step) {
      const end = Math.min(rows, start + step);
      const base = await read(planned.base!, planned, start, end);
      for (const [j, m] of ranked.entries()) {
        const delta = await read(planned.models[m]!, planned, start, end);
        for (let i = 0; i < delta.length; i++) delta[i] = delta[i]! - base[i]!;
        visit(j, new Uint32Array(delta.buffer, delta.byteOffset, delta.length));
      }
    }
  }
}
