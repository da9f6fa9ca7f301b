/**
 * Hot loops of the merge methods, unrolled four models at a time. V8 compiles a loop over an array of
 * typed arrays poorly (measured ~3× slower than the unrolled form on 16 Mi elements); missing slots are
 * padded with the first array and weight 0, which costs no extra memory traffic.
 */

import { mixWasmKernels } from './mix-wasm.js';

/** Below this many elements the scalar loops win (no chunk copies). */
const SIMD_MIN_ELEMENTS = 2048;

/** out[i] = Σₘ weights[m] · arrays[m][i] (+ out[i] when `accumulate`); SIMD when available, same bits. */
export function weightedSumInto(
  out: Float32Array,
  arrays: readonly Float32Array[],
  weights: ArrayLike<number>,
  accumulate = false,
): void {
  const n = out.length;
  const simd = n >= SIMD_MIN_ELEMENTS ? mixWasmKernels() : undefined;
  if (!simd) {
    weightedSumIntoScalar(out, arrays, weights, accumulate);
    return;
  }
  const main = n - (n % 2);
  for (let group = 0; group < arrays.length; group += 4) {
    const x0 = arrays[group]!;
    // Padding repeats x0 with weight 0, exactly as the scalar loop does (0·x keeps its signed zero).
    const pad = (m: number) => (group + m < arrays.length ? arrays[group + m]! : x0);
    const w = (m: number) => (group + m < arrays.length ? weights[group + m]! : 0);
    simd.weightedSum(
      out,
      [x0, pad(1), pad(2), pad(3)],
      [w(0), w(1), w(2), w(3)],
      accumulate || group > 0,
      main,
    );
  }
  if (main < n) {
    weightedSumIntoScalar(
      out.subarray(main),
      arrays.map((a) => a.subarray(main)),
      weights,
      accumulate,
    );
  }
}

/** The plain-JS `weightedSumInto` (fallback and reference for the SIMD kernel). */
export function weightedSumIntoScalar(
  out: Float32Array,
  arrays: readonly Float32Array[],
  weights: ArrayLike<number>,
  accumulate = false,
): void {
  const n = out.length;
  for (let group = 0; group < arrays.length; group += 4) {
    const x0 = arrays[group]!;
    const x1 = arrays[group + 1] ?? x0;
    const x2 = arrays[group + 2] ?? x0;
    const x3 = arrays[group + 3] ?? x0;
    const w0 = weights[group]!;
    const w1 = group + 1 < arrays.length ? weights[group + 1]! : 0;
    const w2 = group + 2 < arrays.length ? weights[group + 2]! : 0;
    const w3 = group + 3 < arrays.length ? weights[group + 3]! : 0;
    if (group === 0 && !accumulate) {
      for (let i = 0; i < n; i++) out[i] = w0 * x0[i]! + w1 * x1[i]! + w2 * x2[i]! + w3 * x3[i]!;
    } else {
      for (let i = 0; i < n; i++) out[i] = out[i]! + w0 * x0[i]! + w1 * x1[i]! + w2 * x2[i]! + w3 * x3[i]!;
    }
  }
}

export interface DisjointMixOptions {
  /** Per model: the sign that turns δ into its election input (sign(w) when weighted, 1 when unweighted). */
  readonly electionSigns: Float64Array;
  /** Per model: weight × rescale factor applied to agreeing entries. */
  readonly mixWeights: Float64Array;
  /** Per model: what an agreeing entry adds to the divisor (w, or 1 for a count). */
  readonly contributions: Float64Array;
  /** Sign used where the election score is exactly 0. */
  readonly tieSign: number;
  readonly normalize: boolean;
  readonly lambda: number;
}

/**
 * TIES disjoint merge: with s = sign(score[i]) (tieSign on 0), an entry of model m agrees when
 * electionSigns[m]·δₘ[i]·s > 0; out[i] = base[i] + λ·Σ agreeing mixWeights·δ / (Σ agreeing contributions
 * when normalizing and non-zero). `out` holds the election score on entry and may alias it.
 */
export function disjointMixInto(
  out: Float32Array,
  score: Float32Array,
  base: Float32Array,
  deltas: readonly Float32Array[],
  options: DisjointMixOptions,
): void {
  const n = base.length;
  const count = deltas.length;
  const simd = n >= SIMD_MIN_ELEMENTS && count <= 4 ? mixWasmKernels() : undefined;
  if (!simd) {
    disjointMixIntoScalar(out, score, base, deltas, options);
    return;
  }
  const constants = mixConstants(options, count);
  const d0 = deltas[0]!;
  const main = n - (n % 2);
  simd.disjointMix(
    out,
    score,
    base,
    [d0, deltas[1] ?? d0, deltas[2] ?? d0, deltas[3] ?? d0],
    constants,
    main,
  );
  if (main < n) {
    disjointMixIntoScalar(
      out.subarray(main),
      score.subarray(main),
      base.subarray(main),
      deltas.map((d) => d.subarray(main)),
      options,
    );
  }
}

/**
 * `weightedSumInto(out, deltas, electionWeights)` followed by `disjointMixInto(out, out, base, deltas,
 * options)`, in one SIMD pass when available (the float32-rounded score never leaves the kernel; same bits).
 * Returns true when the pass also verified that every result is finite (false: not verified; check with
 * `allFinite`).
 */
export function electionMixInto(
  out: Float32Array,
  base: Float32Array,
  deltas: readonly Float32Array[],
  electionWeights: ArrayLike<number>,
  options: DisjointMixOptions,
): boolean {
  const n = base.length;
  const count = deltas.length;
  const simd = n >= SIMD_MIN_ELEMENTS && count <= 4 ? mixWasmKernels() : undefined;
  if (!simd) {
    weightedSumInto(out, deltas, electionWeights);
    disjointMixInto(out, out, base, deltas, options);
    return false;
  }
  const constants = mixConstants(options, count);
  for (let m = 0; m < count; m++) constants[16 + m] = electionWeights[m]!;
  const d0 = deltas[0]!;
  const main = n - (n % 2);
  const finite = simd.disjointMix(
    out,
    undefined,
    base,
    [d0, deltas[1] ?? d0, deltas[2] ?? d0, deltas[3] ?? d0],
    constants,
    main,
  );
  if (main < n) {
    const tail = deltas.map((d) => d.subarray(main));
    const rest = out.subarray(main);
    weightedSumIntoScalar(rest, tail, electionWeights);
    disjointMixIntoScalar(rest, rest, base.subarray(main), tail, options);
  }
  return finite && allFinite(out.subarray(main));
}

/** The kernel's constant block: signs, mix weights, contributions (0 without normalising), tie sign, λ. */
export function mixConstants(options: DisjointMixOptions, count: number): Float64Array {
  const { electionSigns, mixWeights, contributions, tieSign, normalize, lambda } = options;
  const constants = new Float64Array(20);
  for (let m = 0; m < count; m++) {
    constants[m] = electionSigns[m]!;
    constants[4 + m] = mixWeights[m]!;
    // Without normalising the divisor is 1; all-zero contributions give 0, which the kernel turns into 1.
    constants[8 + m] = normalize ? contributions[m]! : 0;
  }
  constants[12] = tieSign;
  constants[13] = lambda;
  return constants;
}

/** The plain-JS `disjointMixInto` (fallback and reference for the SIMD kernel). */
export function disjointMixIntoScalar(
  out: Float32Array,
  score: Float32Array,
  base: Float32Array,
  deltas: readonly Float32Array[],
  options: DisjointMixOptions,
): void {
  const n = base.length;
  const { electionSigns, mixWeights, contributions, tieSign, normalize, lambda } = options;
  const count = deltas.length;
  if (count > 4) {
    for (let i = 0; i < n; i++) {
      const s = score[i]!;
      const sign = s > 0 ? 1 : s < 0 ? -1 : tieSign;
      let mixed = 0;
      let divisor = 0;
      for (let m = 0; m < count; m++) {
        const v = deltas[m]![i]!;
        const agree = +(electionSigns[m]! * v * sign > 0);
        mixed += agree * mixWeights[m]! * v;
        divisor += agree * contributions[m]!;
      }
      out[i] = base[i]! + lambda * (normalize && divisor !== 0 ? mixed / divisor : mixed);
    }
    return;
  }
  const d0 = deltas[0]!;
  const d1 = deltas[1] ?? d0;
  const d2 = deltas[2] ?? d0;
  const d3 = deltas[3] ?? d0;
  const pad = (values: Float64Array, m: number) => (m < count ? values[m]! : 0);
  const e0 = pad(electionSigns, 0);
  const e1 = pad(electionSigns, 1);
  const e2 = pad(electionSigns, 2);
  const e3 = pad(electionSigns, 3);
  const w0 = pad(mixWeights, 0);
  const w1 = pad(mixWeights, 1);
  const w2 = pad(mixWeights, 2);
  const w3 = pad(mixWeights, 3);
  const c0 = pad(contributions, 0);
  const c1 = pad(contributions, 1);
  const c2 = pad(contributions, 2);
  const c3 = pad(contributions, 3);
  for (let i = 0; i < n; i++) {
    // Branch-free throughout: signs are data-dependent, so branches would mispredict half the time.
    const s = score[i]!;
    const positive = +(s > 0);
    const negative = +(s < 0);
    const sign = positive - negative + (1 - positive - negative) * tieSign;
    const v0 = d0[i]!;
    const v1 = d1[i]!;
    const v2 = d2[i]!;
    const v3 = d3[i]!;
    const a0 = +(e0 * v0 * sign > 0);
    const a1 = +(e1 * v1 * sign > 0);
    const a2 = +(e2 * v2 * sign > 0);
    const a3 = +(e3 * v3 * sign > 0);
    const mixed = a0 * w0 * v0 + a1 * w1 * v1 + a2 * w2 * v2 + a3 * w3 * v3;
    // No agreeing model → mixed is 0 and the divisor is taken as 1.
    let divisor = normalize ? a0 * c0 + a1 * c1 + a2 * c2 + a3 * c3 : 1;
    divisor += +(divisor === 0);
    out[i] = base[i]! + lambda * (mixed / divisor);
  }
}

/** True when every value is finite (a cheap reduction; the caller locates the culprit only on failure). */
export function allFinite(values: Float32Array): boolean {
  let a = 0;
  let b = 0;
  const n = values.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    a += values[i]! * 0;
    b += values[i + 1]! * 0;
  }
  if (i < n) a += values[i]! * 0;
  // x·0 is 0 for finite x and NaN for ±Inf/NaN, so the sums stay 0 unless something is not finite.
  return a === 0 && b === 0;
}
