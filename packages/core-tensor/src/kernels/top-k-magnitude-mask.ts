import { type FloatArray, kernelError } from './float-array.js';
import { selectInPlace } from './select-in-place.js';

/**
 * A mask with exactly `min(k, n)` ones at the entries of largest magnitude, in expected O(n).
 *
 * Ties: entries whose magnitude equals the k-th largest are kept lowest index first until k are
 * kept. NaN counts as smaller than every magnitude (also smaller than 0): NaN entries are kept only
 * when `k` exceeds the number of non-NaN entries, again lowest index first.
 * `k = 0` gives all zeros; `k ≥ n` gives all ones.
 */
export function topKMagnitudeMask(x: FloatArray, k: number): Uint8Array {
  if (!Number.isInteger(k) || k < 0) {
    throw kernelError('E_INPUT', `topKMagnitudeMask: k must be a non-negative integer, got ${k}`);
  }
  const n = x.length;
  const mask = new Uint8Array(n);
  if (k === 0) return mask;
  if (k >= n) return mask.fill(1);
  const magnitudes = x instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    magnitudes[i] = Number.isNaN(a) ? -1 : a; // NaN ranks below every magnitude
  }
  const cut = n - k; // ascending position of the smallest kept magnitude
  selectInPlace(magnitudes, cut, 0, n - 1);
  const threshold = magnitudes[cut]!;
  let above = 0;
  for (let i = cut + 1; i < n; i++) if (magnitudes[i]! > threshold) above++;
  let tiesLeft = k - above;
  for (let i = 0; i < n; i++) {
    const raw = Math.abs(x[i]!);
    const a = Number.isNaN(raw) ? -1 : raw;
    if (a > threshold) mask[i] = 1;
    else if (a === threshold && tiesLeft > 0) {
      mask[i] = 1;
      tiesLeft--;
    }
  }
  return mask;
}
