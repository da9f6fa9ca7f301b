import { describe, expect, it } from 'vitest';
import {
  AYS_SCHEDULES,
  alphasCumprodFromBetas,
  betaCdf,
  betaQuantile,
  diffusersTimesteps,
  makeBetas,
  makeTimeGrid,
  veSchedule,
  vpLinearSchedule,
} from '../src/index.js';

describe('time grids', () => {
  it('diffusers spacings for T = 1000, N = 10 (Lin et al. 2023, Table 2)', () => {
    expect(diffusersTimesteps({ steps: 10, spacing: 'linspace' })).toEqual([
      999, 888, 777, 666, 555, 444, 333, 222, 111, 0,
    ]);
    expect(diffusersTimesteps({ steps: 10, spacing: 'leading' })).toEqual([
      900, 800, 700, 600, 500, 400, 300, 200, 100, 0,
    ]);
    expect(diffusersTimesteps({ steps: 10, spacing: 'leading', stepsOffset: 1 })).toEqual([
      901, 801, 701, 601, 501, 401, 301, 201, 101, 1,
    ]);
    expect(diffusersTimesteps({ steps: 10, spacing: 'trailing' })).toEqual([
      999, 899, 799, 699, 599, 499, 399, 299, 199, 99,
    ]);
  });

  it('trailing spacing with a non-divisor step count', () => {
    // np.round(np.arange(1000, 0, -1000/3)) - 1 = [999, 666, 332]
    expect(diffusersTimesteps({ steps: 3, spacing: 'trailing' })).toEqual([999, 666, 332]);
  });

  it('logSNR grid is uniform in lambda, quadratic grid uniform in sqrt(t)', () => {
    const s = vpLinearSchedule();
    const g = makeTimeGrid(s, { kind: 'logsnr', steps: 8, tStart: 1, tEnd: 1e-3 });
    const d0 = s.lambda(g[1]!) - s.lambda(g[0]!);
    for (let i = 1; i < 8; i++) expect(s.lambda(g[i + 1]!) - s.lambda(g[i]!)).toBeCloseTo(d0, 10);
    const q = makeTimeGrid(s, { kind: 'time-quadratic', steps: 4, tStart: 1, tEnd: 0.01 });
    const expected = [1, 0.775 ** 2, 0.55 ** 2, 0.325 ** 2, 0.01];
    for (let i = 0; i < 5; i++) expect(q[i]).toBeCloseTo(expected[i]!, 14);
  });

  it('Karras grid matches the EDM formula on VE', () => {
    const g = makeTimeGrid(veSchedule(), { kind: 'karras', steps: 3, tStart: 80, tEnd: 0.002 });
    const r = (f: number) => (80 ** (1 / 7) + f * (0.002 ** (1 / 7) - 80 ** (1 / 7))) ** 7;
    expect(g[1]).toBeCloseTo(r(1 / 3), 10);
    expect(g[2]).toBeCloseTo(r(2 / 3), 12);
    expect([g[0], g[3]]).toEqual([80, 0.002]);
  });
});

describe('beta grid (diffusers use_beta_sigmas)', () => {
  it('Beta quantiles and CDF match scipy.stats.beta (reference values computed with scipy 1.17)', () => {
    expect(betaQuantile(0.1, 0.6, 0.6)).toBeCloseTo(0.03958440558878085, 12);
    expect(betaQuantile(0.25, 0.6, 0.6)).toBeCloseTo(0.17568037865269498, 12);
    expect(betaQuantile(0.9, 0.6, 0.6)).toBeCloseTo(0.9604155944112192, 12);
    expect(betaCdf(0.3, 0.6, 0.6)).toBeCloseTo(0.35252651177214367, 12);
    expect(betaQuantile(0.05, 2.5, 0.7)).toBeCloseTo(0.36607279423953043, 12);
  });

  it('grid: sigma = smin + ppf(1 - i/N)(smax - smin) on VE', () => {
    const g = makeTimeGrid(veSchedule(), { kind: 'beta', steps: 4, tStart: 80, tEnd: 0.002 });
    expect(g[0]).toBe(80);
    expect(g[4]).toBe(0.002);
    // ppf(0.5) = 0.5 for the symmetric Beta(0.6, 0.6); ppf(0.25) from scipy as above.
    expect(g[2]).toBeCloseTo(0.002 + 0.5 * (80 - 0.002), 9);
    expect(g[3]).toBeCloseTo(0.002 + 0.17568037865269498 * (80 - 0.002), 9);
  });
});

describe('AYS tables', () => {
  it('SD sigmas are the SD (scaled_linear 0.00085 → 0.012) sigmas at the AYS timesteps to ±0.004', () => {
    const abar = alphasCumprodFromBetas(
      makeBetas({ kind: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 }),
    );
    AYS_SCHEDULES.stableDiffusionTimesteps.forEach((t, i) => {
      const sigma = Math.sqrt((1 - abar[t]!) / abar[t]!);
      expect(Math.abs(sigma - AYS_SCHEDULES.stableDiffusionSigmas[i]!)).toBeLessThan(0.004);
    });
    for (const table of [AYS_SCHEDULES.stableDiffusionXLSigmas, AYS_SCHEDULES.stableDiffusionVideoSigmas]) {
      expect(table).toHaveLength(11);
      expect(table[10]).toBe(0);
    }
  });
});
