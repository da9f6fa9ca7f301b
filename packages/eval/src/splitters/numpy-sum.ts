/**
 * numpy's float64 pairwise summation (`pairwise_sum` in loops_utils.h): sequential below 8 terms, eight
 * accumulators up to 128, halving above. Used where sklearn's tie-breaking depends on the exact rounding.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, count = a.length - start, stride = 1): number {
  if (count < 8) {
    let res = 0;
    for (let i = 0; i < count; i++) res += a[start + i * stride]!;
    return res;
  }
  if (count <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j * stride]!;
    let i = 8;
    for (; i < count - (count % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + (i + j) * stride]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < count; i++) res += a[start + i * stride]!;
    return res;
  }
  let n2 = Math.floor(count / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2, stride) + pairwiseSum(a, start + n2 * stride, count - n2, stride);
}

/** `np.std(row)` (ddof 0) of a contiguous 1-D array: pairwise sums for the mean and the squared deviations. */
export function npStd1d(a: ArrayLike<number>, start: number, count: number): number {
  const mean = pairwiseSum(a, start, count) / count;
  const dev = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const d = a[start + i]! - mean;
    dev[i] = d * d;
  }
  return Math.sqrt(pairwiseSum(dev) / count);
}

/**
 * `np.std(m, axis=0)` column c of a C-contiguous rows × cols matrix: numpy reduces axis 0 row by row
 * (sequential sum) unless the matrix has a single column, which is contiguous and summed pairwise.
 */
export function npStdAxis0(
  m: ArrayLike<number>,
  rows: number,
  cols: number,
  c: number,
  scratch: Float64Array,
): number {
  const sum = (x: ArrayLike<number>, s: number, stride: number): number => {
    if (cols === 1) return pairwiseSum(x, s, rows, stride);
    let acc = x[s]!;
    for (let r = 1; r < rows; r++) acc += x[s + r * stride]!;
    return acc;
  };
  const mean = sum(m, c, cols) / rows;
  for (let r = 0; r < rows; r++) {
    const d = m[c + r * cols]! - mean;
    scratch[r] = d * d;
  }
  return Math.sqrt(sum(scratch, 0, 1) / rows);
}
