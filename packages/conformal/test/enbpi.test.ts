import { describe, expect, it } from 'vitest';
import { enbpi, enbpiIntervals, enbpiUpdateResiduals } from '../src/index.js';

describe('EnbPI', () => {
  it('centres on the ensemble aggregate (MAPIE #495), computed here from the recorded bootstrap samples', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    const samples: Int32Array[] = [];
    // model b predicts b everywhere: any single model would give an integer centre
    const fit = (sample: Int32Array) => {
      samples.push(Int32Array.from(sample));
      const b = samples.length - 1;
      return { train: y.map(() => b), test: [b] };
    };
    const r = enbpi({ y, numTest: 1, numBootstraps: 12, alpha: 0.2, seed: 4, fit });
    // independent recomputation: leave-i-out mean over bootstraps not containing i, then mean over i
    const looMeans = y.map((_, i) => {
      const oob = samples.map((s, b) => (s.includes(i) ? -1 : b)).filter((b) => b >= 0);
      return oob.reduce((a, b) => a + b, 0) / oob.length;
    });
    const center = looMeans.reduce((a, b) => a + b, 0) / y.length;
    expect(r.center[0]).toBeCloseTo(center, 12);
    y.forEach((v, i) => {
      expect(r.residuals[i]).toBeCloseTo(v - looMeans[i]!, 12);
    });
  });
  it('symmetric and asymmetric intervals by hand', () => {
    // residuals [−3, −1, 0, 2, 5], n = 5
    const res = [2, -1, 5, 0, -3];
    // symmetric α = 0.4: k = ⌈6·0.6⌉ = 4 of |r| sorted [0,1,2,3,5] → 3
    const s = enbpiIntervals([10], res, 0.4);
    expect([s.lower[0], s.upper[0]]).toEqual([7, 13]);
    // asymmetric α = 0.4, β = 0.2: lower rank ⌊6·0.2⌋ = 1 → −3; upper rank ⌈6·0.8⌉ = 5 → 5
    const a = enbpiIntervals([10], res, 0.4, { symmetric: false, beta: 0.2 });
    expect([a.lower[0], a.upper[0]]).toEqual([7, 15]);
  });
  it('rolling window keeps the newest residuals', () => {
    expect(Array.from(enbpiUpdateResiduals([1, 2, 3, 4], [5, 6]))).toEqual([3, 4, 5, 6]);
    expect(Array.from(enbpiUpdateResiduals([1, 2, 3], [4, 5, 6, 7]))).toEqual([5, 6, 7]);
  });
});
