import { createMatrix, truncatedSvd } from '@modelsmith/core-tensor';
import { mergeError } from '../errors.js';
import { commonTensorNames, type WeightSet } from './weight-set.js';

/** One task's exclusive vector for one tensor: rank-r factors for matrices, dense otherwise. */
export type TwinExclusive =
  | {
      readonly kind: 'low_rank';
      readonly shape: readonly [number, number];
      readonly u: Float32Array;
      readonly s: Float32Array;
      readonly v: Float32Array;
    }
  | { readonly kind: 'dense'; readonly shape: readonly number[]; readonly values: Float32Array };

/**
 * Compresses vₜ = θₜ − θ* for one tensor: a 2-D tensor keeps its top-`rank` singular triplets
 * (u: rows×r, s: r, v: cols×r, row-major); other tensors are kept dense.
 */
export function twinExclusiveTensor(
  shared: Float32Array,
  task: Float32Array,
  shape: readonly number[],
  rank: number,
): TwinExclusive {
  if (shared.length !== task.length)
    throw mergeError(
      'E_SHAPE_MISMATCH',
      `twin exclusive: ${task.length} task elements vs ${shared.length} shared`,
    );
  const delta = new Float32Array(task.length);
  for (let i = 0; i < task.length; i++) delta[i] = task[i]! - shared[i]!;
  if (shape.length !== 2) return { kind: 'dense', shape, values: delta };
  const [rows, cols] = shape as [number, number];
  const r = Math.min(rank, rows, cols);
  const { u, s, v } = truncatedSvd(createMatrix(rows, cols, Float64Array.from(delta)), r);
  return {
    kind: 'low_rank',
    shape: [rows, cols],
    u: Float32Array.from(u.data),
    s: Float32Array.from(s),
    v: Float32Array.from(v.data),
  };
}

/** Expands an exclusive vector back to dense values (u·diag(s)·vᵀ for low-rank ones). */
export function twinExpand(exclusive: TwinExclusive): Float32Array {
  if (exclusive.kind === 'dense') return exclusive.values;
  const [rows, cols] = exclusive.shape;
  const r = exclusive.s.length;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < r; k++) {
      const us = exclusive.u[i * r + k]! * exclusive.s[k]!;
      if (us === 0) continue;
      for (let j = 0; j < cols; j++) out[i * cols + j] = out[i * cols + j]! + us * exclusive.v[j * r + k]!;
    }
  }
  return out;
}

export interface TwinMergingArtefacts {
  /** θ* = θ₀ + λ Σₜ (θₜ − θ₀) (task arithmetic, Twin-Merging's default shared expert). */
  readonly shared: Record<string, Float32Array>;
  /** Per task, per tensor: the compressed exclusive vector θₜ − θ*. */
  readonly exclusives: readonly Record<string, TwinExclusive>[];
}

/** Builds Twin-Merging's offline artefacts from a base and task models (same names and sizes). */
export function twinMergingArtefacts(options: {
  readonly base: WeightSet;
  readonly tasks: readonly WeightSet[];
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly rank: number;
  /** Task-arithmetic scale of the shared expert (Twin-Merging's RoBERTa/GLUE config uses 0.29). */
  readonly lambda?: number;
}): TwinMergingArtefacts {
  const { base, tasks, shapes, rank } = options;
  if (!Number.isInteger(rank) || rank < 1)
    throw mergeError(
      'E_INVALID_OPTIONS',
      `twinMergingArtefacts: rank must be a positive integer, got ${rank}`,
    );
  const lambda = options.lambda ?? 0.29;
  const names = commonTensorNames([base, ...tasks], 'base and tasks');
  const shared: Record<string, Float32Array> = {};
  for (const name of names) {
    const b = base[name]!;
    const out = Float32Array.from(b);
    for (const task of tasks) {
      const t = task[name]!;
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + lambda * (t[i]! - b[i]!);
    }
    shared[name] = out;
  }
  const exclusives = tasks.map((task) => {
    const perTensor: Record<string, TwinExclusive> = {};
    for (const name of names) {
      const shape = shapes[name];
      if (!shape) throw mergeError('E_INPUT', `twinMergingArtefacts: no shape given for tensor '${name}'`);
      perTensor[name] = twinExclusiveTensor(shared[name]!, task[name]!, shape, rank);
    }
    return perTensor;
  });
  return { shared, exclusives };
}

/** Router weights from logits: softmax (numerically stable). */
export function routerWeights(logits: readonly number[]): Float64Array {
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return Float64Array.from(exp, (e) => e / total);
}

/** The input-conditioned model θ* + Σₜ wₜ vₜ for router weights w (one per task). */
export function twinCombine(
  artefacts: TwinMergingArtefacts,
  weights: ArrayLike<number>,
): Record<string, Float32Array> {
  if (weights.length !== artefacts.exclusives.length) {
    throw mergeError(
      'E_INPUT',
      `twinCombine: ${weights.length} router weights for ${artefacts.exclusives.length} tasks`,
    );
  }
  const out: Record<string, Float32Array> = {};
  for (const [name, shared] of Object.entries(artefacts.shared)) {
    const combined = Float32Array.from(shared);
    artefacts.exclusives.forEach((exclusive, t) => {
      const w = weights[t]!;
      if (w === 0) return;
      const v = twinExpand(exclusive[name]!);
      for (let i = 0; i < combined.length; i++) combined[i] = combined[i]! + w * v[i]!;
    });
    out[name] = combined;
  }
  return out;
}
