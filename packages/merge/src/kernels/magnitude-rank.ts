/**
 * Local selection kernels. Ordering used everywhere: larger |x| first, equal magnitudes broken by
 * LOWER index first, so "top k" is always exactly k elements and nested top-k sets are consistent.
 *
 * Magnitudes are compared through their float32 bit patterns with the sign bit cleared, which
 * order exactly like the values for non-negative floats (NaN sorts above +Inf). That makes the
 * k-th largest magnitude a two-pass radix select (16 high bits, then 16 low bits): linear time, no
 * copy of the data, no reordering.
 */

function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * Bit pattern (sign cleared) of the k-th largest |values[start..end)|, 1 ≤ k ≤ end − start, and how
 * many elements are strictly larger (read off the histograms, no extra pass).
 */
export function selectMagnitude(
  values: Float32Array,
  k: number,
  start = 0,
  end = values.length,
): { threshold: number; above: number } {
  const n = end - start;
  if (k < 1 || k > n) throw new RangeError(`k must be in [1, ${n}], got ${k}`);
  const bits = bitsOf(values);
  const high = new Uint32Array(65536);
  for (let i = start; i < end; i++) high[(bits[i]! & 0x7fffffff) >>> 16]!++;
  return selectMagnitudeFromHigh(values, k, high, start, end);
}

/** `selectMagnitude` given the histogram of the high 16 magnitude bits (callers fuse it into another pass). */
export function selectMagnitudeFromHigh(
  values: Float32Array,
  k: number,
  high: Uint32Array,
  start = 0,
  end = values.length,
): { threshold: number; above: number } {
  const bits = bitsOf(values);
  const { bucket, remaining: inBucket } = thresholdBucket(high, k);
  const low = new Uint32Array(65536);
  for (let i = start; i < end; i++) {
    const b = bits[i]! & 0x7fffffff;
    if (b >>> 16 === bucket) low[b & 0xffff]!++;
  }
  const { bucket: sub, remaining } = thresholdBucket(low, inBucket);
  // `remaining` elements equal to the threshold are needed; everything counted before is strictly larger.
  return { threshold: ((bucket << 16) | sub) >>> 0, above: k - remaining };
}

/**
 * The bucket of a 65536-bucket histogram that holds the k-th largest key (1 ≤ k ≤ total), walking down
 * from the top, and how many of the k fall inside it (the rest are in higher buckets).
 */
export function thresholdBucket(counts: Uint32Array, k: number): { bucket: number; remaining: number } {
  let remaining = k;
  let bucket = 65535;
  for (; bucket >= 0; bucket--) {
    const c = counts[bucket]!;
    if (c >= remaining) break;
    remaining -= c;
  }
  return { bucket, remaining };
}

/** Bit pattern (sign cleared) of the k-th largest |values[start..end)|. */
export function kthLargestMagnitudeBits(
  values: Float32Array,
  k: number,
  start = 0,
  end = values.length,
): number {
  return selectMagnitude(values, k, start, end).threshold;
}

/** The k-th largest value (1-based k) of non-negative `values` (e.g. variances or magnitudes). */
export function kthLargest(values: Float32Array, k: number): number {
  const bits = kthLargestMagnitudeBits(values, k);
  return new Float32Array(new Uint32Array([bits]).buffer)[0]!;
}

/**
 * Marks the k largest |values[start..end)| in `mask[start..end)` (sets 1), exactly k of them;
 * with `keepTies` every element whose magnitude equals the k-th largest is also kept.
 */
export function markTopK(
  values: Float32Array,
  k: number,
  mask: Uint8Array,
  options: { start?: number; end?: number; keepTies?: boolean } = {},
): void {
  const start = options.start ?? 0;
  const end = options.end ?? values.length;
  const n = end - start;
  if (k <= 0) return;
  if (k >= n) {
    mask.fill(1, start, end);
    return;
  }
  const { threshold, above } = selectMagnitude(values, k, start, end);
  const bits = bitsOf(values);
  if (options.keepTies) {
    for (let i = start; i < end; i++) if ((bits[i]! & 0x7fffffff) >= threshold) mask[i] = 1;
    return;
  }
  let equalsAllowed = k - above;
  for (let i = start; i < end; i++) {
    const b = bits[i]! & 0x7fffffff;
    if (b > threshold) mask[i] = 1;
    else if (b === threshold && equalsAllowed > 0) {
      mask[i] = 1;
      equalsAllowed--;
    }
  }
}

/** |x| into a new Float32Array. */
export function absolute(values: Float32Array, start = 0, end = values.length): Float32Array {
  const out = new Float32Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = Math.abs(values[i]!);
  return out;
}

/** Ascending ranks 0..n-1 of |values[start..end)| (ties: lower index gets the lower rank). */
export function magnitudeRanks(values: Float32Array, start: number, end: number): Uint32Array {
  const n = end - start;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const magnitudes = absolute(values, start, end);
  order.sort((a, b) => magnitudes[a]! - magnitudes[b]! || a - b);
  const ranks = new Uint32Array(n);
  for (let r = 0; r < n; r++) ranks[order[r]!] = r;
  return ranks;
}

/** Zeroes every element of values[start..end) outside the top k by magnitude (same rule as `markTopK`). */
export function keepTopKInPlace(
  values: Float32Array,
  k: number,
  options: { start?: number; end?: number; keepTies?: boolean } = {},
): void {
  const start = options.start ?? 0;
  const end = options.end ?? values.length;
  if (k >= end - start) return;
  if (k <= 0) {
    values.fill(0, start, end);
    return;
  }
  const { threshold, above } = selectMagnitude(values, k, start, end);
  const bits = bitsOf(values);
  if (options.keepTies) {
    for (let i = start; i < end; i++) if ((bits[i]! & 0x7fffffff) < threshold) values[i] = 0;
    return;
  }
  let equalsAllowed = k - above;
  for (let i = start; i < end; i++) {
    const b = bits[i]! & 0x7fffffff;
    if (b < threshold) values[i] = 0;
    else if (b === threshold) {
      if (equalsAllowed > 0) equalsAllowed--;
      else values[i] = 0;
    }
  }
}
