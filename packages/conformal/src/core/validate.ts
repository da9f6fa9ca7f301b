import { z } from 'zod';
import { conformalError } from '../errors.js';

/** Any array of numbers the package accepts: plain arrays or typed arrays. */
export type NumericArray = ArrayLike<number>;

export const alphaSchema = z
  .number({ error: 'must be a number strictly between 0 and 1' })
  .refine((value) => value > 0 && value < 1, 'must be strictly between 0 and 1 (e.g. 0.1 for 90% coverage)');

/** Validates one miscoverage level (or FDR / risk level) in (0, 1). */
export function checkAlpha(alpha: unknown, name = 'alpha'): number {
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw conformalError(
      'E_INVALID_OPTIONS',
      `${name} is ${String(alpha)}; it must be strictly between 0 and 1 (e.g. 0.1 for 90% coverage)`,
    );
  }
  return alpha;
}

/** Copies `values` into a Float64Array, rejecting non-finite entries with the index named. */
export function finiteArray(values: NumericArray, name: string): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw conformalError('E_INPUT', `${name} must be an array of numbers`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw conformalError(
        'E_INPUT',
        `${name}[${i}] is ${String(value)}; every entry must be a finite number (drop or impute non-finite rows first)`,
      );
    }
    out[i] = value;
  }
  return out;
}

/** Throws unless every array has the same length as the first; names the offending pair. */
export function checkSameLength(arrays: Record<string, { length: number }>): number {
  const entries = Object.entries(arrays);
  const [firstName, first] = entries[0]!;
  for (const [name, array] of entries.slice(1)) {
    if (array.length !== first.length) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `${name} has length ${array.length} but ${firstName} has length ${first.length}; they must match element for element`,
      );
    }
  }
  return first.length;
}

/** Rejects a non-positive or non-finite entry (weights, scales). */
export function positiveArray(values: NumericArray, name: string, allowZero = false): Float64Array {
  const out = finiteArray(values, name);
  for (let i = 0; i < out.length; i++) {
    const value = out[i]!;
    if (value < 0 || (!allowZero && value === 0)) {
      throw conformalError(
        'E_INPUT',
        `${name}[${i}] is ${value}; it must be ${allowZero ? 'non-negative' : 'strictly positive'}`,
      );
    }
  }
  return out;
}

/** zod schema for an array-like of numbers; element checks happen in `finiteArray` (one pass). */
export const numericArraySchema = z.custom<NumericArray>(
  (value) =>
    value !== null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number',
  'must be an array of numbers',
);

/** Tolerance on |Σ_k π_k − 1| for a probability row. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

/** A validated n×K probability matrix, row-major. */
export interface ProbabilityMatrix {
  readonly n: number;
  readonly numClasses: number;
  readonly data: Float64Array;
}

/**
 * Validates probability rows: same length K ≥ 2, finite, non-negative, each summing to 1 within
 * `PROBABILITY_SUM_TOLERANCE` (1e-6). Names the row and says how to fix it.
 */
export function probabilityMatrix(
  rows: readonly NumericArray[],
  name: string,
  numClasses?: number,
): ProbabilityMatrix {
  if (!Array.isArray(rows)) throw conformalError('E_INPUT', `${name} must be an array of probability rows`);
  const n = rows.length;
  const k = numClasses ?? rows[0]?.length ?? 0;
  if (n > 0 && k < 2) throw conformalError('E_INPUT', `${name} rows need at least 2 classes, got ${k}`);
  const data = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row === null || typeof row !== 'object' || row.length !== k) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `${name}[${i}] has ${row?.length} entries; every row needs ${k} class probabilities`,
      );
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const v = row[c]!;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw conformalError(
          'E_INPUT',
          `${name}[${i}][${c}] is ${String(v)}; probabilities must be finite and ≥ 0`,
        );
      }
      data[i * k + c] = v;
      sum += v;
    }
    if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
      throw conformalError(
        'E_INPUT',
        `${name}[${i}] sums to ${sum}, not 1 (tolerance 1e-6); pass softmax probabilities, not logits`,
      );
    }
  }
  return { n, numClasses: k, data };
}

/** Validates class labels as integers in [0, numClasses). */
export function labelArray(labels: NumericArray, numClasses: number, name: string): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw conformalError(
        'E_INPUT',
        `${name}[${i}] is ${String(v)}; labels must be integers in 0..${numClasses - 1}`,
      );
    }
    out[i] = v;
  }
  return out;
}
