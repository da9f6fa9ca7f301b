import { type FloatArray, kernelError } from './float-array.js';
import { copyWithoutNaN, selectInPlace } from './select-in-place.js';

/**
 * The `k`-th smallest value of `values` (0-based: `k = 0` is the minimum), i.e. `sorted[k]`,
 * in expected O(n) on a copy (the input is not modified). NaN sorts after every number, as in
 * numpy's `partition`, so a `k` past the non-NaN values returns NaN.
 */
export function quickselect(values: FloatArray, k: number): number {
  if (!Number.isInteger(k) || k < 0 || k >= values.length) {
    throw kernelError(
      'E_INPUT',
      `quickselect: k must be an integer in [0, ${values.length - 1}] for ${values.length} values, got ${k}`,
    );
  }
  const { copy, finiteCount } = copyWithoutNaN(values);
  if (k >= finiteCount) return Number.NaN;
  selectInPlace(copy, k, 0, finiteCount - 1);
  return copy[k]!;
}
