import { topKMagnitudeMask } from '@modelsmith/core-tensor';
import { peftError } from '../errors.js';
import type { TfRuntime, TfTensor, TfVariable } from '../layers/tf-types.js';

/** A sparse difference φ = θ₂ − θ₀ per variable, stored as (indices, values). */
export interface SparseDifference {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Copies the current values of variables (θ₀ before fine-tuning, θ₁ after). */
export function snapshotVariables(variables: readonly TfVariable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync()));
}

/** Writes saved values back into variables (the LT-SFT reset to θ₀). */
export function restoreVariables(
  runtime: TfRuntime,
  variables: readonly TfVariable[],
  values: readonly Float32Array[],
): void {
  variables.forEach((variable, i) => {
    const t = runtime.tf.tensor(values[i]!, variable.shape);
    variable.assign(t);
    t.dispose();
  });
}

/**
 * LT-SFT step 2 (Ansell et al. 2022): the mask μ of the top-K parameters by |θ₁ − θ₀| over all
 * variables together. Returns one 0/1 mask per variable.
 */
export function ltSftMask(
  before: readonly Float32Array[],
  after: readonly Float32Array[],
  k: number,
): Uint8Array[] {
  if (before.length !== after.length)
    throw peftError(
      'E_INPUT',
      `LT-SFT needs the same variables before and after (${before.length} vs ${after.length})`,
    );
  const total = before.reduce((sum, b) => sum + b.length, 0);
  const diff = new Float32Array(total);
  let offset = 0;
  before.forEach((b, i) => {
    const a = after[i]!;
    if (a.length !== b.length)
      throw peftError(
        'E_SHAPE_MISMATCH',
        `LT-SFT variable ${i} has ${b.length} values before and ${a.length} after`,
      );
    for (let j = 0; j < b.length; j++) diff[offset + j] = a[j]! - b[j]!;
    offset += b.length;
  });
  const mask = topKMagnitudeMask(diff, Math.min(k, total));
  const out: Uint8Array[] = [];
  offset = 0;
  for (const b of before) {
    out.push(mask.slice(offset, offset + b.length));
    offset += b.length;
  }
  return out;
}

/** Masks as tensors for `trainVariables({ gradientMasks })` (step 3: fine-tune only the masked entries). */
export function maskTensors(
  runtime: TfRuntime,
  variables: readonly TfVariable[],
  masks: readonly Uint8Array[],
): TfTensor[] {
  return variables.map((v, i) => runtime.tf.tensor(Float32Array.from(masks[i]!), v.shape));
}

/** φ = θ₂ − θ₀ as (indices, values) of the non-zero entries. */
export function sparseDifference(
  before: readonly Float32Array[],
  after: readonly Float32Array[],
): SparseDifference[] {
  return before.map((b, i) => {
    const a = after[i]!;
    const indices: number[] = [];
    const values: number[] = [];
    for (let j = 0; j < b.length; j++) {
      const d = a[j]! - b[j]!;
      if (d !== 0) {
        indices.push(j);
        values.push(d);
      }
    }
    return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
  });
}

/** Composition by addition: θ = θ₀ + Σ φ (e.g. φ_lang + φ_task). */
export function applySparseDifferences(
  base: readonly Float32Array[],
  ...differences: readonly SparseDifference[][]
): Float32Array[] {
  const out = base.map((b) => Float32Array.from(b));
  for (const difference of differences) {
    difference.forEach((phi, i) => {
      const target = out[i]!;
      for (let j = 0; j < phi.indices.length; j++) target[phi.indices[j]!]! += phi.values[j]!;
    });
  }
  return out;
}
