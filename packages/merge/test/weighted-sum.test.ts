import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFinite, disjointMixInto, weightedSumInto } from '../src/kernels/weighted-sum.js';
import { expectClose, pseudoRandom } from './helpers.js';

describe('unrolled kernels', () => {
  it('weightedSumInto equals the naive sum for 1 to 9 arrays (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1000 }), (count, seed) => {
        const arrays = Array.from({ length: count }, (_, m) => pseudoRandom(17, seed + m));
        const weights = Array.from(pseudoRandom(count, seed + 99));
        const out = new Float32Array(17);
        weightedSumInto(out, arrays, weights);
        const naive = Array.from({ length: 17 }, (_, i) =>
          arrays.reduce((s, a, m) => s + weights[m]! * a[i]!, 0),
        );
        expectClose(out, naive, 1e-5);
      }),
    );
  });

  it('disjointMixInto: the unrolled (≤ 4 models) and generic (> 4) paths agree with a naive loop', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (count, seed, normalize) => {
          const n = 23;
          const deltas = Array.from({ length: count }, (_, m) => pseudoRandom(n, seed + m));
          const base = pseudoRandom(n, seed + 50);
          const score = pseudoRandom(n, seed + 60);
          score[0] = 0;
          const w = Float64Array.from(pseudoRandom(count, seed + 70));
          const options = {
            electionSigns: w.map(Math.sign),
            mixWeights: w,
            contributions: w,
            tieSign: -1,
            normalize,
            lambda: 1.5,
          };
          const out = new Float32Array(n);
          disjointMixInto(out, score, base, deltas, options);
          const naive = Array.from({ length: n }, (_, i) => {
            const sign = score[i]! > 0 ? 1 : score[i]! < 0 ? -1 : -1;
            let mixed = 0;
            let divisor = 0;
            for (let m = 0; m < count; m++) {
              if (Math.sign(w[m]!) * deltas[m]![i]! * sign > 0) {
                mixed += w[m]! * deltas[m]![i]!;
                divisor += w[m]!;
              }
            }
            return base[i]! + 1.5 * (normalize && divisor !== 0 ? mixed / divisor : mixed);
          });
          expectClose(out, naive, 1e-4);
        },
      ),
    );
  });

  it('allFinite spots NaN and ±Inf', () => {
    expect(allFinite(Float32Array.from([1, -3e38, 0]))).toBe(true);
    expect(allFinite(Float32Array.from([1, Number.NaN]))).toBe(false);
    expect(allFinite(Float32Array.from([Number.NEGATIVE_INFINITY]))).toBe(false);
  });
});
