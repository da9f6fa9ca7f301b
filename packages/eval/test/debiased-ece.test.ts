// Debiased L2 calibration error (Kumar, Liang & Ma 2019). Expected values worked by hand in the comments;
// Monte-Carlo tolerances stated per test.
import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { debiasedEce } from '../src/calibration/debiased-ece.js';
import { ece } from '../src/calibration/ece.js';
import { expectClose } from './helpers.js';

describe('debiasedEce by hand', () => {
  it('two verified bins, one with label variance: the estimate clips at 0', () => {
    // Sorted conf .1 .2 .3 | .6 .7 .9 (chunks of ⌈6/2⌉ = 3, boundary (.3 + .6)/2 = .45).
    // Bin 0: p̄ = .2, ȳ = 1/3, gap² = (2/15)² = 4/225, ȳ(1 − ȳ)/(n_b − 1) = (2/9)/2 = 1/9.
    // Bin 1: p̄ = 11/15, ȳ = 1, gap² = (4/15)² = 16/225, variance term 0.
    // squared = ½(4/225 − 25/225) + ½(16/225) = −1/90; plug-in = √(½·4/225 + ½·16/225) = √(2/45).
    const r = debiasedEce([0.1, 0.9, 0.2, 0.7, 0.3, 0.6], [0, 1, 1, 1, 0, 1], { bins: 2 });
    expectClose(r.squared, -1 / 90, 1e-15);
    expect(r.ece).toBe(0);
    expectClose(r.plugin, Math.sqrt(2 / 45), 1e-15);
    expect(r.bins).toBe(2);
  });
  it('no label variance: debiased = plug-in', () => {
    // Bin 0: p̄ = .2, ȳ = 0 → .04 = 9/225; bin 1: 16/225 → squared = ½·25/225 = 1/18.
    const r = debiasedEce([0.1, 0.2, 0.3, 0.6, 0.7, 0.9], [0, 0, 0, 1, 1, 1], { bins: 2 });
    expectClose(r.squared, 1 / 18, 1e-15);
    expectClose(r.ece, Math.sqrt(1 / 18), 1e-15);
    expectClose(r.plugin, Math.sqrt(1 / 18), 1e-15);
  });
  it('ties on a verified boundary go to the lower bin (searchsorted left)', () => {
    // Sorted .2 .5 .5 | .5 .8 .9, boundary (.5 + .5)/2 = .5 → bin 0 = {.2, .5, .5, .5}, bin 1 = {.8, .9}.
    // Bin 0: p̄ = .425, ȳ = .5, gap² = .005625, variance term .25/3; bin 1: p̄ = .85, ȳ = 1, gap² = .0225.
    // squared = (4/6)(.005625 − .25/3) + (2/6)(.0225); plug-in² = (4/6)(.005625) + (2/6)(.0225) = .01125.
    const r = debiasedEce([0.2, 0.5, 0.5, 0.5, 0.8, 0.9], [0, 1, 0, 1, 1, 1], { bins: 2 });
    expectClose(r.squared, (4 / 6) * (0.005625 - 0.25 / 3) + (2 / 6) * 0.0225, 1e-15);
    expectClose(r.plugin, Math.sqrt(0.01125), 1e-15);
  });
  it('uneven chunks: n = 7, bins = 3 → chunks of 3, 3, 1; a one-item bin adds only to the plug-in', () => {
    // Sorted .1 .2 .3 | .4 .5 .6 | .95; y 0 1 0 | 1 0 1 | 1.
    // Bin 0: p̄ .2, ȳ 1/3: gap² 4/225, var term 1/9. Bin 1: p̄ .5, ȳ 2/3: gap² 1/36, var term 1/9.
    // Bin 2: p̄ .95, ȳ 1: gap² .0025, excluded from the debiased sum (n_b = 1).
    const r = debiasedEce([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.95], [0, 1, 0, 1, 0, 1, 1], { bins: 3 });
    expectClose(r.squared, (3 / 7) * (4 / 225 - 1 / 9) + (3 / 7) * (1 / 36 - 1 / 9), 1e-15);
    expectClose(r.plugin, Math.sqrt((3 / 7) * (4 / 225) + (3 / 7) * (1 / 36) + (1 / 7) * 0.0025), 1e-15);
    expect(r.bins).toBe(3);
  });
  it("'distinct': one bin per distinct value (bins ignored)", () => {
    // .2 ×3 with ȳ = 1/3: gap² 4/225, variance term (2/9)/2; .8 ×4 with ȳ = 3/4: gap² .0025, term (3/16)/3.
    const r = debiasedEce([0.2, 0.8, 0.2, 0.8, 0.8, 0.2, 0.8], [0, 1, 1, 1, 0, 0, 1], {
      strategy: 'distinct',
      bins: 40,
    });
    expectClose(r.squared, (3 / 7) * (4 / 225 - 1 / 9) + (4 / 7) * (0.0025 - 1 / 16), 1e-15);
    expectClose(r.plugin, Math.sqrt((3 / 7) * (4 / 225) + (4 / 7) * 0.0025), 1e-15);
    expect(r.bins).toBe(2);
  });
  it("'quantile' / 'uniform' strategies reuse reliabilityBins: plug-in = L2 ECE on the same bins", () => {
    const conf = [
      0.95, 0.92, 0.86, 0.81, 0.77, 0.72, 0.66, 0.61, 0.55, 0.52, 0.99, 0.91, 0.68, 0.58, 0.74, 0.88,
    ];
    const correct = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0];
    for (const strategy of ['quantile', 'uniform'] as const) {
      const r = debiasedEce(conf, correct, { bins: 4, strategy });
      expectClose(r.plugin, ece(conf, correct, { bins: 4, strategy, norm: 'l2' }), 1e-14);
      expect(r.squared).toBeLessThan(r.plugin ** 2);
    }
  });
  it('errors', () => {
    expect(() => debiasedEce([0.2, 0.3], [0, 1], { bins: 3 })).toThrow(/at least bins=3/);
    expect(() => debiasedEce([0.2, 0.3], [0, 1], { strategy: 'x' } as never)).toThrow(/strategy/);
    expect(() => debiasedEce([0.2, 1.3], [0, 1], { bins: 2 })).toThrow(/confidence\[1\]/);
  });
});

function simulate(R: number, n: number, truth: (p: number) => number, seed: number) {
  const sum = { squared: 0, squared2: 0, ece: 0, plugin: 0, l1: 0 };
  for (let r = 0; r < R; r++) {
    const rng = createRandom(seed, 'debiased-ece-mc', r).stream();
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = rng.uniform();
      y[i] = rng.uniform() < truth(p[i]!) ? 1 : 0;
    }
    const d = debiasedEce(p, y);
    sum.squared += d.squared / R;
    sum.squared2 += d.squared ** 2 / R;
    sum.ece += d.ece / R;
    sum.plugin += d.plugin / R;
    sum.l1 += ece(p, y, { bins: 15, strategy: 'quantile' }) / R;
  }
  const se = Math.sqrt((sum.squared2 - sum.squared ** 2) / (R - 1));
  return { ...sum, se };
}

describe('debiasedEce Monte-Carlo', () => {
  it('calibrated data: unbiased squared error ≈ 0, debiased ECE well below plain ECE on average', () => {
    // R = 2000, n = 200, 15 verified bins, y ~ Bernoulli(p). The estimator's exact bias here is
    // −Σ w_b s²_b/(n_b − 1) ≈ −3e-5 (s²_b = within-bin variance of p), far inside 4 MC SE (SE ≈ 1.1e-4).
    // Observed (seed 21): mean squared −1.6e-5, debiased 0.0268, plain L1 ECE (15 equal-mass bins) 0.0876,
    // plug-in L2 0.107.
    const m = simulate(2000, 200, (p) => p, 21);
    expect(m.se).toBeLessThan(2e-4);
    expect(Math.abs(m.squared)).toBeLessThanOrEqual(4 * m.se + 3e-5);
    expect(m.ece).toBeLessThan(0.5 * m.l1);
    expect(m.ece).toBeLessThan(0.5 * m.plugin);
  });
  it('miscalibrated data: squared estimate centred on the binned truth, plug-in biased up', () => {
    // P(y=1) = 0.2 + 0.6p, p ~ U(0,1): gap p − q = 0.4(p − ½). With 15 equal-mass bins of 40 (n = 600) the
    // binned squared error is 0.16·(Var p − within-bin variance) ≈ 0.16·(1/12)(1 − 1/225) = 0.0132741 (the
    // empirical bins deviate from exact quantile bins by O(1/√n) per edge; the tolerance of 4 MC SE ≈ 1e-3
    // covers it). The plug-in's squared bias is Σ w_b ȳ_b(1 − ȳ_b)/n_b ≈ 0.21/40 ≈ 0.0052. Observed (seed 22):
    // mean squared 0.013123 (SE 2.2e-4), debiased 0.1128, plug-in 0.1354.
    const m = simulate(400, 600, (p) => 0.2 + 0.6 * p, 22);
    expect(Math.abs(m.squared - 0.0132741)).toBeLessThanOrEqual(4 * m.se);
    expect(m.plugin ** 2 - 0.0132741).toBeGreaterThan(0.003);
  });
});
