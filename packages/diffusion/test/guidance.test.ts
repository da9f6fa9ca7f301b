import { describe, expect, it } from 'vitest';
import {
  classifierFreeGuidance,
  convertPrediction,
  createGaussianMixture,
  ddim,
  dynamicThresholding,
  gradientGuidance,
  initialNoise,
  makeTimeGrid,
  mixtureG2,
  mixtureModel,
  mixturePosterior,
  vpLinearSchedule,
} from '../src/index.js';

const vp = vpLinearSchedule();
const mix = mixtureG2();
const K = 2; // target component
const comp = createGaussianMixture({
  weights: [1],
  means: [[mix.means[2 * K]!, mix.means[2 * K + 1]!]],
  stds: [[mix.stds[2 * K]!, mix.stds[2 * K + 1]!]],
});

/** ∇_x log r_K(x_t) for the exact mixture: -C_K^{-1}(x - alpha mu_K) - ∇ log q_t(x) (spec §6.2). */
function gradLogResp(x: Float64Array, t: number): Float64Array {
  const a = vp.alpha(t);
  const s = vp.sigma(t);
  const eps = new Float64Array(x.length);
  mixturePosterior(mix, x, a, s, null, eps);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d = i % 2;
    const c = a * a * mix.stds[2 * K + d]! ** 2 + s * s;
    out[i] = -(x[i]! - a * mix.means[2 * K + d]!) / c + eps[i]! / s;
  }
  return out;
}

describe('guidance exactness (spec §6.2)', () => {
  const full = mixtureModel(mix, vp, 'eps');
  const only = mixtureModel(comp, vp, 'eps');
  const x = initialNoise(3, 64, 2, 2);

  it('classifier guidance at scale 1 with the exact posterior is the eps of component k alone', () => {
    const guided = gradientGuidance(full, gradLogResp, 1);
    for (const t of [0.9, 0.5, 0.1, 0.01]) {
      const g = guided.denoise(x, t);
      const e = only.denoise(x, t);
      for (let i = 0; i < x.length; i++) expect(Math.abs(g[i]! - e[i]!)).toBeLessThan(1e-10);
    }
  });

  it('sampling the guided model gives N(mu_k, S_k) (mean and std within 4 SE over 4000 samples)', () => {
    const n = 4000;
    const guided = gradientGuidance(full, gradLogResp, () => 1);
    const xT = initialNoise(5, n, 2);
    const times = makeTimeGrid(vp, { kind: 'logsnr', steps: 60, tStart: 1, tEnd: 1e-3 });
    const out = ddim(guided, xT, times).x;
    for (let d = 0; d < 2; d++) {
      let m = 0;
      let v = 0;
      for (let p = 0; p < n; p++) m += out[p * 2 + d]!;
      m /= n;
      for (let p = 0; p < n; p++) v += (out[p * 2 + d]! - m) ** 2;
      const sd = Math.sqrt(v / (n - 1));
      const target = mix.stds[2 * K + d]!;
      expect(Math.abs(m - mix.means[2 * K + d]!)).toBeLessThan((4 * target) / Math.sqrt(n) + 0.01);
      expect(Math.abs(sd / target - 1)).toBeLessThan(4 / Math.sqrt(2 * n) + 0.02);
    }
  });

  it('CFG: w = 1 is the conditional, w = 0 the unconditional, and eps-space equals x0-space', () => {
    const cond = mixtureModel(comp, vp, 'v');
    const uncond = mixtureModel(mix, vp, 'v').denoise;
    const t = 0.3;
    const a = vp.alpha(t);
    const s = vp.sigma(t);
    const c1 = classifierFreeGuidance(cond, uncond, { scale: 1 }).denoise(x, t);
    const c0 = classifierFreeGuidance(cond, uncond, { scale: 0 }).denoise(x, t);
    const ec = convertPrediction(cond.denoise(x, t), 'v', 'eps', x, a, s);
    const eu = convertPrediction(uncond(x, t), 'v', 'eps', x, a, s);
    const w = 4.5;
    const ge = classifierFreeGuidance(cond, uncond, { scale: w, space: 'eps' }).denoise(x, t);
    const gx = classifierFreeGuidance(cond, uncond, { scale: w, space: 'x0' }).denoise(x, t);
    const gxAsEps = convertPrediction(gx, 'x0', 'eps', x, a, s);
    for (let i = 0; i < x.length; i++) {
      expect(c1[i]).toBeCloseTo(ec[i]!, 12);
      expect(c0[i]).toBeCloseTo(eu[i]!, 12);
      expect(ge[i]).toBeCloseTo(eu[i]! + w * (ec[i]! - eu[i]!), 10);
      expect(gxAsEps[i]).toBeCloseTo(ge[i]!, 9);
    }
  });

  it('CFG rescale phi = 1 gives each sample the std of the conditional prediction', () => {
    const cond = mixtureModel(comp, vp, 'eps');
    const uncond = mixtureModel(mix, vp, 'eps').denoise;
    const xs = initialNoise(8, 4, 16);
    const c = cond.denoise(xs, 0.5);
    const g = classifierFreeGuidance(cond, uncond, { scale: 7.5, rescale: 1, sampleSize: 16 }).denoise(
      xs,
      0.5,
    );
    const std = (a: Float64Array, o: number) => {
      const m = a.subarray(o, o + 16).reduce((p, q) => p + q, 0) / 16;
      return Math.sqrt(a.subarray(o, o + 16).reduce((p, q) => p + (q - m) ** 2, 0) / 15);
    };
    for (let o = 0; o < 64; o += 16) expect(std(g, o)).toBeCloseTo(std(c, o), 12);
    expect(() => classifierFreeGuidance(cond, uncond, { scale: 2, rescale: 0.7 })).toThrow(/sampleSize/);
  });
});

describe('dynamic thresholding', () => {
  it('official and diffusers clamp semantics, worked by hand', () => {
    // |x0| sorted = 0.5, 1, 2, 3; torch.quantile(0.5) = 1.5.
    const a = Float64Array.of(0.5, -3, 2, 1);
    dynamicThresholding({ sampleSize: 4, ratio: 0.5 })(a, 0);
    expect(Array.from(a)).toEqual([0.5 / 1.5, -1, 1, 1 / 1.5]);
    const b = Float64Array.of(0.5, -3, 2, 1);
    dynamicThresholding({ sampleSize: 4, ratio: 0.5, semantics: 'diffusers', maxValue: 1 })(b, 0);
    expect(Array.from(b)).toEqual([0.5, -1, 1, 1]);
    const c = Float64Array.of(0.5, -3, 2, 1);
    dynamicThresholding({ sampleSize: 4, ratio: 0.5, semantics: 'diffusers', maxValue: 1.2 })(c, 0);
    expect(Array.from(c)).toEqual([0.5 / 1.2, -1, 1, 1 / 1.2]);
  });

  it('is applied to x0 by solvers through correctX0', () => {
    const m = mixtureModel(mix, vp, 'x0');
    const x = initialNoise(1, 8, 2);
    const out = ddim(m, x, [0.5, 1e-4], { correctX0: dynamicThresholding({ sampleSize: 2 }) }).x;
    // From t = 0.5 to ~0: output ≈ alpha x0 + small eps term, and |x0| ≤ 1 after thresholding.
    for (const v of out) expect(Math.abs(v)).toBeLessThan(1.1);
  });
});
