/**
 * In-place selection: after `selectKth(a, k)` (0-based k), `a[k]` holds the k-th smallest value,
 * everything before it is ≤ and everything after is ≥. Hoare partitioning around a median of three
 * (robust to ties); falls back to a full sort of the remaining range if partitioning degenerates.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (hi - lo < 16 || budget-- <= 0) {
      const part = a.subarray(lo, hi + 1).sort();
      return part[k - lo]!;
    }
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo - 1;
    let j = hi + 1;
    for (;;) {
      do i++;
      while (a[i]! < pivot);
      do j--;
      while (a[j]! > pivot);
      if (i >= j) break;
      swap(a, i, j);
    }
    if (k <= j) hi = j;
    else lo = j + 1;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Number of entries of the ascending array `sorted` that are < x (strict) or ≤ x. */
export function countBelow(sorted: Float64Array, x: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (inclusive ? v <= x : v < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Given `less` = #{sorted < x}, returns #{sorted ≤ x}: a short scan (ties are usually few), falling back
 * to a binary search when there are many.
 */
export function countTies(sorted: Float64Array, less: number, x: number): number {
  const n = sorted.length;
  let i = less;
  const stop = Math.min(n, less + 16);
  while (i < stop && sorted[i] === x) i++;
  if (i < stop || i === n) return i;
  return countBelow(sorted, x, true);
}
