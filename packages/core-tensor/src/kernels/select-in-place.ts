import type { FloatArray } from './float-array.js';

/**
 * Floyd–Rivest selection: rearranges `array[left..right]` so that `array[k]` holds the value it
 * would have after sorting ascending, everything before it is ≤ and everything after it is ≥.
 * Expected O(n); equal values do not degrade it (the partition stops on equal keys).
 * The range must not contain NaN (callers move NaNs out first).
 */
export function selectInPlace(array: FloatArray, k: number, left = 0, right = array.length - 1): void {
  let lo = left;
  let hi = right;
  while (hi > lo) {
    if (hi - lo > 600) {
      // Recurse on a small sample around k to pick a pivot that almost surely lands near k.
      const n = hi - lo + 1;
      const m = k - lo + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLo = Math.max(lo, Math.floor(k - (m * s) / n + sd));
      const newHi = Math.min(hi, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(array, k, newLo, newHi);
    }
    const pivot = array[k]!;
    let i = lo;
    let j = hi;
    swap(array, lo, k);
    if (array[hi]! > pivot) swap(array, lo, hi);
    while (i < j) {
      swap(array, i, j);
      i++;
      j--;
      while (array[i]! < pivot) i++;
      while (array[j]! > pivot) j--;
    }
    if (array[lo] === pivot) swap(array, lo, j);
    else {
      j++;
      swap(array, j, hi);
    }
    if (j <= k) lo = j + 1;
    if (k <= j) hi = j - 1;
  }
}

function swap(array: FloatArray, i: number, j: number): void {
  const t = array[i]!;
  array[i] = array[j]!;
  array[j] = t;
}

/** The minimum of `array[from..to)` (non-empty range). */
export function minOfRange(array: FloatArray, from: number, to: number): number {
  let m = array[from]!;
  for (let i = from + 1; i < to; i++) if (array[i]! < m) m = array[i]!;
  return m;
}

/** Copies `values` with every NaN moved to the end; returns the copy and the count of non-NaN values. */
export function copyWithoutNaN(values: FloatArray): { copy: FloatArray; finiteCount: number } {
  const n = values.length;
  const copy = values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  let front = 0;
  let back = n;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) copy[front++] = v;
    else copy[--back] = v;
  }
  return { copy, finiteCount: front };
}
