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
