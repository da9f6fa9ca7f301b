import { describe, expect, it } from 'vitest';
import {
  ddimEta,
  ddpmAncestral,
  dpm2Sampler,
  dpmpp2sAncestral,
  dpmSolverMultistep,
  dpmSolverSinglestep,
  edmSampler,
  eulerAncestral,
  initialNoise,
  makeTimeGrid,
  mixtureG2,
  mixtureModel,
  mixturePosterior,
  perSampleNoise,
  type SolverResult,
  sdeDpmSolverPlusPlus,
  veSchedule,
  vpLinearSchedule,
} from '../src/index.js';

const mix = mixtureG2();
const vp = vpLinearSchedule();
const ve = veSchedule();
const N = 5000;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    t *
      (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Weak checks of samples x (N × 2) against G2. With r_k the exact responsibilities of the data mixture,
 * E[r_k] = pi_k, E[r_k x]/pi_k = mu_k and E[r_k (x - mu_k)^2]/pi_k = s_k^2 hold exactly under p0.
 * Monte-Carlo tolerance: 5 standard errors (each term is bounded, SE ≤ a few/sqrt(N)) plus 0.02 for the
 * discretisation bias of a 120-step sampler ending at t = 1e-3; KS distance of coordinate 0 below
 * 1.63/sqrt(N) (1% level) + 0.01.
 */
function weakCheck(x: Float64Array): void {
  const K = 3;
  const resp = new Float64Array(N * K);
  mixturePosterior(mix, x, 1, 1e-9, null, null, resp);
  for (let k = 0; k < K; k++) {
    let w = 0;
    let w2 = 0;
    const m = [0, 0];
    const v = [0, 0];
    for (let p = 0; p < N; p++) {
      const r = resp[p * K + k]!;
      w += r;
      w2 += r * r;
      for (let i = 0; i < 2; i++) m[i]! += r * x[p * 2 + i]!;
    }
    const pi = mix.weights[k]!;
    const se = Math.sqrt(w2 / N - (w / N) ** 2) / Math.sqrt(N);
    expect(Math.abs(w / N - pi)).toBeLessThan(5 * se + 0.02);
    for (let i = 0; i < 2; i++) {
      const mean = m[i]! / w;
      expect(Math.abs(mean - mix.means[k * 2 + i]!)).toBeLessThan(0.05);
      for (let p = 0; p < N; p++) v[i]! += resp[p * K + k]! * (x[p * 2 + i]! - mix.means[k * 2 + i]!) ** 2;
      const sd = Math.sqrt(v[i]! / w);
      expect(Math.abs(sd / mix.stds[k * 2 + i]! - 1)).toBeLessThan(0.1);
    }
  }
  const xs = Array.from({ length: N }, (_, p) => x[p * 2]!).sort((a, b) => a - b);
  let ks = 0;
  xs.forEach((v, j) => {
    let cdf = 0;
    for (let k = 0; k < K; k++) cdf += mix.weights[k]! * phi((v - mix.means[k * 2]!) / mix.stds[k * 2]!);
    ks = Math.max(ks, Math.abs(cdf - j / N), Math.abs(cdf - (j + 1) / N));
  });
  expect(ks).toBeLessThan(1.63 / Math.sqrt(N) + 0.01);
}

const vpTimes = makeTimeGrid(vp, { kind: 'logsnr', steps: 120, tStart: 1, tEnd: 1e-3 });
const xT = initialNoise(11, N, 2);

describe('stochastic samplers: weak tests on G2', () => {
  const model = mixtureModel(mix, vp, 'x0');
  it.each<[string, () => SolverResult]>([
    ['DDPM small variance', () => ddpmAncestral(model, xT, vpTimes, { noise: perSampleNoise(1, 2) })],
    [
      'DDPM large variance',
      () => ddpmAncestral(model, xT, vpTimes, { noise: perSampleNoise(2, 2), variance: 'large' }),
    ],
    ['DDIM eta = 0.5', () => ddimEta(model, xT, vpTimes, { noise: perSampleNoise(3, 2), eta: 0.5 })],
    ['Euler ancestral', () => eulerAncestral(model, xT, vpTimes, { noise: perSampleNoise(4, 2) })],
    [
      'SDE-DPM-Solver++(1)',
      () => sdeDpmSolverPlusPlus(model, xT, vpTimes, { noise: perSampleNoise(5, 2), order: 1 }),
    ],
    [
      'SDE-DPM-Solver++(2M)',
      () => sdeDpmSolverPlusPlus(model, xT, vpTimes, { noise: perSampleNoise(6, 2), order: 2 }),
    ],
    [
      'SDE-DPM-Solver++(3M)',
      () => sdeDpmSolverPlusPlus(model, xT, vpTimes, { noise: perSampleNoise(7, 2), order: 3 }),
    ],
    ['DPM++(2S) ancestral', () => dpmpp2sAncestral(model, xT, vpTimes, { noise: perSampleNoise(14, 2) })],
    [
      'DPM2 ancestral',
      () => dpm2Sampler(model, xT, vpTimes, { ancestral: { noise: perSampleNoise(13, 2) } }),
    ],
    [
      'EDM Heun with churn',
      () => {
        const t = makeTimeGrid(ve, { kind: 'karras', steps: 64, tStart: 80, tEnd: 0.002 });
        return edmSampler(mixtureModel(mix, ve, 'x0'), initialNoise(12, N, 2, 80), t, {
          sChurn: 40,
          sTmin: 0.05,
          sTmax: 50,
          noise: perSampleNoise(8, 2),
        });
      },
    ],
  ])('%s reproduces component weights, moments and the coordinate-0 CDF', (_, run) => {
    weakCheck(run().x);
  });
});

describe('stochastic identities', () => {
  const model = mixtureModel(mix, vp, 'x0');
  const x = initialNoise(5, 16, 2);
  const times = makeTimeGrid(vp, { kind: 'logsnr', steps: 12, tStart: 1, tEnd: 1e-3 });
  const noise = perSampleNoise(9, 2);
  const maxDiff = (a: Float64Array, b: Float64Array) =>
    a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

  it('DDIM eta = 1 equals DDPM with small variance; eta = 0 is deterministic DDIM', () => {
    expect(
      maxDiff(ddimEta(model, x, times, { noise, eta: 1 }).x, ddpmAncestral(model, x, times, { noise }).x),
    ).toBeLessThan(1e-12);
    expect(
      maxDiff(
        ddimEta(model, x, times, { noise, eta: 0 }).x,
        dpmSolverMultistep(model, x, times, { order: 1 }).x,
      ),
    ).toBeLessThan(1e-12);
  });

  it('SDE-DPM-Solver++ at eta = 0 is the shipped deterministic 2M / 3M', () => {
    expect(
      maxDiff(
        sdeDpmSolverPlusPlus(model, x, times, { noise, order: 2, eta: 0 }).x,
        dpmSolverMultistep(model, x, times, { order: 2 }).x,
      ),
    ).toBeLessThan(1e-12);
    expect(
      maxDiff(
        sdeDpmSolverPlusPlus(model, x, times, { noise, order: 3, eta: 0 }).x,
        dpmSolverMultistep(model, x, times, { order: 3, solverType: 'taylor' }).x,
      ),
    ).toBeLessThan(1e-12);
  });

  it('DPM++(2S) ancestral at eta = 0 is the deterministic DPM-Solver++(2S)', () => {
    expect(
      maxDiff(
        dpmpp2sAncestral(model, x, times, { noise, eta: 0 }).x,
        dpmSolverSinglestep(model, x, times, { orders: 2, form: 'data' }).x,
      ),
    ).toBeLessThan(1e-12);
  });

  it('per-sample seeds: a sample does not depend on the batch it runs in', () => {
    const full = ddpmAncestral(model, x, times, { noise: perSampleNoise(21, 2) }).x;
    const alone = ddpmAncestral(model, x.subarray(6, 8), times, { noise: perSampleNoise(21, 2, 3) }).x;
    expect(Array.from(alone)).toEqual(Array.from(full.subarray(6, 8)));
  });
});
