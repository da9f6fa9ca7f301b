import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { loadChinchillaFixture } from '../__fixtures__/load-chinchilla.js';
import { bootstrapChinchilla } from './bootstrap-chinchilla.js';
import { chinchillaLoss } from './chinchilla-params.js';
import { chinchillaPlotData } from './chinchilla-plot-data.js';
import { fitChinchilla } from './fit-chinchilla.js';
import { holdOutLargest, leaveOneOut } from './robustness.js';

const truth = { E: 1.8, A: 480, B: 2100, alpha: 0.35, beta: 0.37 };

function synthetic(noise: number) {
  const rng = createRandom(11, 'robustness');
  const params: number[] = [];
  const tokens: number[] = [];
  const loss: number[] = [];
  let k = 0;
  for (let i = 0; i < 8; i++)
    for (let j = 0; j < 8; j++) {
      const n = 10 ** (7.5 + (2.5 * i) / 7);
      const d = 10 ** (8.5 + (3 * j) / 7);
      params.push(n);
      tokens.push(d);
      loss.push(chinchillaLoss(truth, n, d) * Math.exp(noise * rng.normal(k++)));
    }
  return { params, tokens, loss };
}

describe('holdOutLargest', () => {
  it('extrapolates noiseless data to the held-out largest runs almost exactly', () => {
    const report = holdOutLargest(synthetic(0), { count: 6 }, { starts: 60, seed: 2, delta: 0.1 });
    expect(report.heldOut).toHaveLength(6);
    // The held-out runs are the 6 largest by 6ND.
    const computes = synthetic(0).params.map((n, i) => n * synthetic(0).tokens[i]!);
    const threshold = [...computes].sort((a, b) => b - a)[5]!;
    for (const h of report.heldOut) expect(h.params * h.tokens).toBeGreaterThanOrEqual(threshold);
    expect(report.maxAbsoluteRelativeError).toBeLessThan(1e-4);
  });

  it('reports a larger error with noise, and refuses to hold out nearly everything', () => {
    const report = holdOutLargest(
      synthetic(0.02),
      { count: 6, by: 'params' },
      { starts: 60, seed: 2, delta: 0.1 },
    );
    expect(report.meanAbsoluteRelativeError).toBeGreaterThan(1e-4);
    expect(report.meanAbsoluteRelativeError).toBeLessThan(0.1);
    expect(() => holdOutLargest(synthetic(0), { count: 60 })).toThrow(/fewer than 5/);
  });
});

describe('leaveOneOut', () => {
  it('predicts each left-out noiseless run exactly and gives tiny jackknife errors', () => {
    const data = synthetic(0);
    const fit = fitChinchilla(data, { starts: 60, seed: 2 });
    const report = leaveOneOut(data, fit);
    expect(report.predictions).toHaveLength(64);
    expect(report.maxAbsoluteRelativeError).toBeLessThan(1e-4);
    expect(report.jackknifeSe.alpha).toBeLessThan(1e-3);
  });

  it('on the Chinchilla data gives jackknife SEs of the same order as Epoch’s bootstrap SEs', () => {
    const d = loadChinchillaFixture();
    const points = { params: d.params, tokens: d.tokens, loss: d.loss };
    const fit = fitChinchilla(points, { dropHighestLoss: 5, starts: 100, seed: 1 });
    const report = leaveOneOut(points, fit);
    expect(report.predictions).toHaveLength(240);
    // Epoch's bootstrap SEs: alpha 0.015, beta 0.021 (spec §1.3); the jackknife is within a factor 3 of them.
    expect(report.jackknifeSe.alpha).toBeGreaterThan(0.005);
    expect(report.jackknifeSe.alpha).toBeLessThan(0.045);
    expect(report.jackknifeSe.beta).toBeGreaterThan(0.007);
    expect(report.jackknifeSe.beta).toBeLessThan(0.063);
  }, 30_000);
});

describe('chinchillaPlotData', () => {
  it('returns runs, slices on the fitted surface and a frontier band around the point estimate', () => {
    const data = synthetic(0.01);
    const fit = fitChinchilla(data, { starts: 40, seed: 3 });
    const boot = bootstrapChinchilla(data, fit, { resamples: 20, seed: 1, warmStarts: 1 });
    const plot = chinchillaPlotData(data, fit.params, { bootstrap: boot, resolution: 10 });
    expect(plot.points).toHaveLength(64);
    const slice = plot.slices[0]!;
    expect(slice.loss[3]).toBeCloseTo(chinchillaLoss(fit.params, slice.params, slice.tokens[3]!), 12);
    const { frontier } = plot;
    expect(frontier.compute.at(-1)! / Math.max(...plot.points.map((p) => p.compute))).toBeCloseTo(100, 6);
    for (let i = 0; i < frontier.compute.length; i++) {
      expect((6 * frontier.params[i]! * frontier.tokens[i]!) / frontier.compute[i]!).toBeCloseTo(1, 10);
      expect(frontier.lower![i]!).toBeLessThanOrEqual(frontier.loss[i]! + 1e-9);
      expect(frontier.upper![i]!).toBeGreaterThanOrEqual(frontier.loss[i]! - 1e-9);
    }
  });
});
