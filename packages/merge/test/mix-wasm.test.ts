import { bf16ToF32, f32ToBf16 } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mixWasmKernels } from '../src/kernels/mix-wasm.js';
import {
  disjointMixInto,
  disjointMixIntoScalar,
  electionMixInto,
  weightedSumInto,
  weightedSumIntoScalar,
} from '../src/kernels/weighted-sum.js';
import { pseudoRandom } from './helpers.js';

/** Values with exact zeros of both signs and repeated magnitudes, where signed-zero and tie handling show. */
function awkward(n: number, seed: number): Float32Array {
  const values = pseudoRandom(n, seed);
  for (let i = 0; i < n; i++) {
    const r = (i * 7919 + seed * 104729) % 11;
    if (r === 0) values[i] = 0;
    else if (r === 1) values[i] = -0;
    else if (r === 2) values[i] = 0.25;
  }
  return values;
}

const bits = (values: Float32Array) => new Uint32Array(values.buffer.slice(0));

describe('WebAssembly SIMD merge kernels', () => {
  it('are available on Node 20', () => {
    expect(mixWasmKernels()).toBeDefined();
  });

  it('weightedSumInto: SIMD and plain JS give the same bits (property, 1–9 arrays, odd lengths)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 2048, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        (count, n, seed, accumulate) => {
          const arrays = Array.from({ length: count }, (_, m) => awkward(n, seed + m));
          const weights = Array.from(pseudoRandom(count, seed + 99), (w, m) => (m === 1 ? 0 : w));
          const start = awkward(n, seed + 50);
          const simd = Float32Array.from(start);
          const scalar = Float32Array.from(start);
          weightedSumInto(simd, arrays, weights, accumulate);
          weightedSumIntoScalar(scalar, arrays, weights, accumulate);
          expect(bits(simd)).toEqual(bits(scalar));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('disjointMixInto: SIMD and plain JS give the same bits (property, 1–4 models, ties, both divisors)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2048, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1, -1),
        (count, n, seed, normalize, aliased, tieSign) => {
          const deltas = Array.from({ length: count }, (_, m) => awkward(n, seed + m));
          const base = awkward(n, seed + 77);
          const score = awkward(n, seed + 78);
          const weights = pseudoRandom(count, seed + 5);
          const options = {
            electionSigns: Float64Array.from(weights, (w) => Math.sign(w)),
            mixWeights: Float64Array.from(weights, (w) => w * 1.5),
            contributions: Float64Array.from(weights),
            tieSign,
            normalize,
            lambda: 0.75,
          };
          const simdScore = Float32Array.from(score);
          const simd = aliased ? simdScore : new Float32Array(n);
          disjointMixInto(simd, simdScore, base, deltas, options);
          const scalar = new Float32Array(n);
          disjointMixIntoScalar(scalar, score, base, deltas, options);
          expect(bits(simd)).toEqual(bits(scalar));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('electionMixInto (fused) equals the scalar election sum followed by the scalar mix, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2048, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        (count, n, seed, normalize) => {
          const deltas = Array.from({ length: count }, (_, m) => awkward(n, seed + m));
          const base = awkward(n, seed + 77);
          const weights = pseudoRandom(count, seed + 5);
          const electionWeights = Float64Array.from(weights, (w) => w * 0.9);
          const options = {
            electionSigns: Float64Array.from(weights, (w) => Math.sign(w)),
            mixWeights: Float64Array.from(weights, (w) => w * 1.5),
            contributions: Float64Array.from(weights),
            tieSign: 1,
            normalize,
            lambda: 1,
          };
          const fused = new Float32Array(n);
          electionMixInto(fused, base, deltas, electionWeights, options);
          const scalar = new Float32Array(n);
          weightedSumIntoScalar(scalar, deltas, electionWeights);
          disjointMixIntoScalar(scalar, scalar, base, deltas, options);
          expect(bits(fused)).toEqual(bits(scalar));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('electionMixInto reports whether every result is finite (overflow to ±Inf, NaN, odd tails)', () => {
    for (const n of [4096, 4097, 20_001]) {
      for (const [at, value] of [
        [-1, 0.5], // all finite: verified
        [17, 3e38], // 3e38 · 1.5 + 3e38 overflows float32 to +Inf
        [n - 1, Number.NaN], // in the scalar tail when n is odd
        [8192, Number.NEGATIVE_INFINITY], // first element of the second kernel chunk
      ] as const) {
        const deltas = [pseudoRandom(n, 1), pseudoRandom(n, 2)];
        const base = pseudoRandom(n, 3);
        if (at >= 0 && at < n) {
          deltas[0]![at] = value;
          deltas[1]![at] = value;
          base[at] = Number.isNaN(value) ? 0 : value;
        }
        const options = {
          electionSigns: Float64Array.from([1, 1]),
          mixWeights: Float64Array.from([1.5, 1.5]),
          contributions: Float64Array.from([0, 0]),
          tieSign: 1,
          normalize: false,
          lambda: 1,
        };
        const out = new Float32Array(n);
        const verified = electionMixInto(out, base, deltas, [1, 1], options);
        expect(verified).toBe(Array.from(out).every(Number.isFinite));
        expect(verified).toBe(at < 0 || at >= n);
      }
    }
  });

  it('dareMask equals (model − base) · +(draw < threshold) in float64, bit for bit', () => {
    const kernels = mixWasmKernels()!;
    const n = 10_001;
    const model = awkward(n, 3);
    const base = awkward(n, 4);
    for (let i = 0; i < n; i += 13) base[i] = model[i]!; // exact zero differences
    const draws = Uint32Array.from({ length: n }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0);
    for (const threshold of [0, 1, 2 ** 31 + 0.5, 4294967295.2]) {
      const integer = Math.ceil(threshold);
      if (integer >= 2 ** 32) continue;
      const simd = new Float32Array(n);
      kernels.dareMask(simd, model, base, draws, integer, n);
      const scalar = Float32Array.from(
        { length: n },
        (_, i) => (model[i]! - base[i]!) * +(draws[i]! < threshold),
      );
      expect(bits(simd)).toEqual(bits(scalar));
    }
  });

  it('linearBf16 equals decode → weighted sum → encode, and flags non-finite sums', () => {
    const kernels = mixWasmKernels()!;
    for (const [count, n] of [
      [1, 4097],
      [3, 20_000],
      [4, 8193],
    ] as const) {
      const inputs = Array.from({ length: count }, (_, m) => f32ToBf16(awkward(n, 40 + m)));
      const weights = Array.from({ length: 4 }, (_, m) =>
        m < count ? 0.3 + 0.37 * m - (m === 2 ? 1 : 0) : 0,
      );
      const pad = (m: number) => inputs[m] ?? inputs[0]!;
      const out = new Uint16Array(n);
      const finite = kernels.linearBf16(
        out,
        [pad(0), pad(1), pad(2), pad(3)],
        [weights[0]!, weights[1]!, weights[2]!, weights[3]!],
        n,
      );
      const sum = new Float32Array(n);
      weightedSumIntoScalar(
        sum,
        inputs.map((x) => bf16ToF32(x)),
        weights.slice(0, count),
      );
      expect(finite).toBe(true);
      expect(out).toEqual(f32ToBf16(sum));
    }
    const big = f32ToBf16(Float32Array.from({ length: 5000 }, (_, i) => (i === 4321 ? 3e38 : 1)));
    const out = new Uint16Array(5000);
    expect(kernels.linearBf16(out, [big, big, big, big], [1, 1, 0, 0], 5000)).toBe(false);
  });

  it("dareMaskL1 also gives the scalar loop's sequential float64 L1 sums exactly, across blocks", () => {
    const kernels = mixWasmKernels()!;
    const n = 20_001;
    const model = awkward(n, 8);
    const base = awkward(n, 9);
    const draws = Uint32Array.from({ length: n }, (_, i) => Math.imul(i + 7, 2246822519) >>> 0);
    const threshold = 0.4 * 2 ** 32;
    const simd = new Float32Array(n);
    const sums = new Float64Array(2);
    for (let s = 0; s < n; s += 7000) {
      const e = Math.min(n, s + 7000);
      kernels.dareMaskL1(
        simd.subarray(s, e),
        model.subarray(s, e),
        base.subarray(s, e),
        draws.subarray(s, e),
        Math.ceil(threshold),
        e - s,
        sums,
      );
    }
    const scalar = new Float32Array(n);
    let before = 0;
    let after = 0;
    for (let i = 0; i < n; i++) {
      const d = model[i]! - base[i]!;
      const kept = d * +(draws[i]! < threshold);
      scalar[i] = kept;
      before += Math.abs(d);
      after += Math.abs(kept);
    }
    expect(bits(simd)).toEqual(bits(scalar));
    expect([sums[0], sums[1]]).toEqual([before, after]);
  });
});
