// Calibration tests on cumulative differences (MAPIE `metrics.calibration`) and the Brownian-motion
// distributions behind their p-values. Reference numbers: worked by hand below, MAPIE docstring examples
// (mapie/metrics/calibration.py), and mpmath 1.2.1 at 40 digits while writing the tests (both series of each
// distribution agree there to all digits; the range survival also matches quadrature of Feller's density).
import { createRandom, normalCdf, normalSf } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { calibrationTests } from '../src/calibration/calibration-tests.js';
import {
  kolmogorovSmirnovCalibrationTest,
  kuiperCalibrationTest,
} from '../src/calibration/cumulative-calibration-tests.js';
import { cumulativeDifferences } from '../src/calibration/cumulative-differences.js';
import { spiegelhalterTest } from '../src/calibration/spiegelhalter.js';
import { topLabel } from '../src/calibration/top-label.js';
import { brownianMaxAbsCdf, brownianMaxAbsSf } from '../src/distributions/brownian-max-abs.js';
import { brownianRangeCdf, brownianRangeSf } from '../src/distributions/brownian-range.js';
import { expectAllClose, expectClose } from './helpers.js';

function expectRel(actual: number, expected: number, rtol: number): void {
  expectClose(actual, expected, 0, rtol);
}

describe('Brownian maximum |B| on [0, 1] (KS null distribution)', () => {
  // x, CDF, SF from mpmath (40 digits).
  const cases: [number, number, number][] = [
    [0.5, 0.009156990289760756, 0.9908430097102392],
    [0.8, 0.18524190726662207, 0.814758092733378],
    [1, 0.3707774297995239, 0.6292225702004761],
    [1.5, 0.732784785616939, 0.267215214383061],
    [2, 0.9089994761536337, 0.09100052384636625],
    [3, 0.9946004078734796, 0.0053995921265203774],
    [5, 0.9999988533937125, 1.1466062875167756e-6],
    [8, 1 - 2.4883842297087135e-15, 2.4883842297087135e-15],
  ];
  it.each(cases)('x=%f', (x, cdf, sf) => {
    expectRel(brownianMaxAbsCdf(x), cdf, 1e-13);
    expectRel(brownianMaxAbsSf(x), sf, 1e-12);
  });
  it('small x: 5.130699598098181e-14 at 0.2; edge values', () => {
    expectRel(brownianMaxAbsCdf(0.2), 5.130699598098181e-14, 1e-12);
    expect(brownianMaxAbsCdf(0)).toBe(0);
    expect(brownianMaxAbsSf(-1)).toBe(1);
    expect(brownianMaxAbsSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(brownianMaxAbsCdf(Number.NaN)).toBeNaN();
  });
  it('MAPIE docstring kolmogorov_smirnov_cdf(1) = 0.3708; not the Kolmogorov (bridge) law', () => {
    expectClose(brownianMaxAbsCdf(1), 0.3708, 5e-5);
    // scipy 1.17.1 stats.kstwobign.sf(1) = 0.26999967167735456: the Brownian bridge gives a different law.
    expect(Math.abs(brownianMaxAbsSf(1) - 0.26999967167735456)).toBeGreaterThan(0.3);
  });
  it('E[sup |B|] = √(π/2) = ∫ SF (Simpson on [0, 12])', () => {
    expectClose(simpson(brownianMaxAbsSf, 0, 12, 2400), Math.sqrt(Math.PI / 2), 1e-9);
  });
  it('large-x tail ≈ 4 Φ̄(x) (first reflection term)', () => {
    expectRel(brownianMaxAbsSf(10), 4 * normalSf(10), 1e-12);
  });
});

describe('Brownian range on [0, 1] (Kuiper null distribution)', () => {
  const cases: [number, number, number][] = [
    [0.5, 8.777772248109386e-8, 0.9999999122222775],
    [0.8, 0.005963665192105667, 0.9940363348078943],
    [1, 0.06336458792045058, 0.9366354120795495],
    [1.5, 0.4870592457697517, 0.5129407542302482],
    [2, 0.8185056606058126, 0.1814943393941873],
    [3, 0.9892008315323616, 0.010799168467638438],
    [5, 0.999997706787425, 2.2932125750335513e-6],
    [8, 1 - 4.976768459417427e-15, 4.976768459417427e-15],
  ];
  it.each(cases)('x=%f', (x, cdf, sf) => {
    expectRel(brownianRangeCdf(x), cdf, 1e-13);
    expectRel(brownianRangeSf(x), sf, 1e-12);
  });
  it('MAPIE docstring kuiper_cdf(1) = 0.0634; E[range] = 2√(2/π) = ∫ SF', () => {
    expectClose(brownianRangeCdf(1), 0.0634, 5e-5);
    expectClose(simpson(brownianRangeSf, 0, 14, 2800), 2 * Math.sqrt(2 / Math.PI), 1e-9);
  });
  it('both series agree across the switch point (theta-function duality)', () => {
    for (let x = 0.9; x <= 2.2; x += 0.05) expectClose(brownianRangeCdf(x) + brownianRangeSf(x), 1, 1e-15);
    for (let x = 0.6; x <= 1.8; x += 0.05) expectClose(brownianMaxAbsCdf(x) + brownianMaxAbsSf(x), 1, 1e-15);
  });
});

function simpson(f: (x: number) => number, a: number, b: number, m: number): number {
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

// Worked by hand: sorted by confidence (.2,0) (.4,1) (.6,0) (.7,1) (.9,1); y − p = −.2, .6, −.6, .3, .1;
// partial sums −.2, .4, −.2, .1, .2; divided by n = 5 → C = −.04, .08, −.04, .02, .04.
// Σ p(1 − p) = .16 + .24 + .24 + .21 + .09 = .94, σ = √.94 / 5. KS = .08/σ = .4/√.94 = 0.41256849850351736,
// Kuiper = (.08 + .04)/σ = .6/√.94 = 0.61885274775527604 (p-values from mpmath). Spiegelhalter:
// Σ(y − p)(1 − 2p) = −.12 − .08 + .12 + .12 − .12 = −.08, Σ(1 − 2p)² p(1 − p) = .0576 + .0576 + .0096 +
// .0096 + .0336 = .168, z = −.08/√.168 = −0.19518001458970664, two-sided p = 0.84525202421965136.
const handConf = [0.2, 0.9, 0.6, 0.4, 0.7];
const handY = [0, 1, 0, 1, 1];

describe('cumulative differences and the three tests, by hand', () => {
  it('C_k and σ', () => {
    const c = cumulativeDifferences(handConf, handY);
    expectAllClose(c.confidence, [0.2, 0.4, 0.6, 0.7, 0.9], 0);
    expectAllClose(c.differences, [-0.04, 0.08, -0.04, 0.02, 0.04], 1e-15);
    expectClose(c.sigma, Math.sqrt(0.94) / 5, 1e-16);
    expect(c.n).toBe(5);
  });
  it('KS, Kuiper, Spiegelhalter statistics and p-values', () => {
    const ks = kolmogorovSmirnovCalibrationTest(handConf, handY);
    expectClose(ks.statistic, 0.41256849850351734, 1e-14);
    expectClose(ks.pValue, 0.9990939592334844, 1e-13);
    const ku = kuiperCalibrationTest(handConf, handY);
    expectClose(ku.statistic, 0.618852747755276, 1e-14);
    expectClose(ku.pValue, 0.999944991869545, 1e-13);
    const all = calibrationTests(handConf, handY);
    expect(all.ks).toEqual(ks);
    expect(all.kuiper).toEqual(ku);
    expectClose(all.spiegelhalter!.statistic, -0.19518001458970663, 1e-14);
    expectClose(all.spiegelhalter!.pValue, 0.8452520242196514, 1e-13);
    expect(all.spiegelhalter!.pValue).toBe(spiegelhalterTest(handConf, handY).pValue);
  });
  it('booleans work as outcomes', () => {
    const b = kolmogorovSmirnovCalibrationTest(
      handConf,
      handY.map((v) => v === 1),
    );
    expectClose(b.statistic, 0.41256849850351734, 1e-14);
  });
});

describe('MAPIE docstring examples', () => {
  // y = [0,1,0,1,0], s = [.1,.9,.21,.9,.5]: sorted y − s = −.1, −.21, −.5, .1, .1; partial sums/5 =
  // −.02, −.062, −.162, −.142, −.122; σ = √.6859/5. MAPIE: KS 0.978, Kuiper 0.857, Spiegelhalter −0.757.
  const y = [0, 1, 0, 1, 0];
  const s = [0.1, 0.9, 0.21, 0.9, 0.5];
  it('KS 0.978; Kuiper includes C_0 = 0 (0.978) where MAPIE omits it (0.857)', () => {
    expectClose(kolmogorovSmirnovCalibrationTest(s, y).statistic, 0.978, 5e-4);
    const c = cumulativeDifferences(s, y);
    expectAllClose(c.differences, [-0.02, -0.062, -0.162, -0.122], 1e-15); // tie at .9 grouped
    expectClose(kuiperCalibrationTest(s, y).statistic, 0.162 / c.sigma, 1e-12);
    expectClose(kuiperCalibrationTest(s, y).statistic, 0.978, 5e-4);
    const mapieRange = (Math.max(...c.differences) - Math.min(...c.differences)) / c.sigma;
    expectClose(mapieRange, 0.857, 5e-4);
    expectClose(spiegelhalterTest(s, y).z, -0.757, 5e-4);
  });
  it('p-values 0.7857 (KS), 0.9684 (Kuiper); MAPIE’s Spiegelhalter p 0.8486 is one-sided 1 − Φ(z)', () => {
    // MAPIE's jitter (seed 1) puts item 3 before item 2 in the tie at .5; we pin that order by moving item
    // 3 down by 1e-9 (σ changes by ~1e-9 relative, far below the 4 printed digits).
    const yy = [1, 0, 1, 0, 1, 0];
    const ss = [0.8, 0.3, 0.5, 0.5 - 1e-9, 0.7, 0.1];
    expectClose(kolmogorovSmirnovCalibrationTest(ss, yy).pValue, 0.7857, 5e-5);
    expectClose(kuiperCalibrationTest(ss, yy).pValue, 0.9684, 5e-5);
    const sp = spiegelhalterTest([0.8, 0.3, 0.5, 0.5, 0.7, 0.1], yy);
    expectClose(1 - normalCdf(sp.z), 0.8486, 5e-5);
    expectClose(sp.pValue, 2 * Math.min(normalCdf(sp.z), 1 - normalCdf(sp.z)), 1e-15);
  });
});

describe('ties', () => {
  // conf [.3,.5,.5,.8], y [0,1,0,1]: y − p = −.3 | +.5, −.5 | +.2 → group ends −.3, −.3, −.1 (÷4).
  const conf = [0.3, 0.5, 0.5, 0.8];
  const y = [0, 1, 0, 1];
  it("'group' evaluates only after whole tie groups", () => {
    const c = cumulativeDifferences(conf, y);
    expectAllClose(c.confidence, [0.3, 0.5, 0.8], 0);
    expectAllClose(c.differences, [-0.075, -0.075, -0.025], 1e-15);
  });
  it("'random' orders a tie group by seed, deterministically; 'group' is never larger", () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const c = cumulativeDifferences(conf, y, { ties: 'random', seed });
      expect(c.differences.length).toBe(4);
      expectClose(c.differences[0]!, -0.075, 1e-15);
      expectClose(c.differences[2]!, -0.075, 1e-15);
      expectClose(c.differences[3]!, -0.025, 1e-15);
      seen.add(Math.round(c.differences[1]! * 1000));
      expect(cumulativeDifferences(conf, y, { ties: 'random', seed }).differences).toEqual(c.differences);
      const grouped = kolmogorovSmirnovCalibrationTest(conf, y).statistic;
      expect(grouped).toBeLessThanOrEqual(
        kolmogorovSmirnovCalibrationTest(conf, y, { ties: 'random', seed }).statistic,
      );
    }
    // Both orders occur: −.3 + .5 = .2 → .05, or −.3 − .5 = −.8 → −.2.
    expect([...seen].sort((a, b) => a - b)).toEqual([-200, 50]);
  });
});

describe('topLabel', () => {
  it('max probability and argmax == label (first maximum wins ties)', () => {
    const t = topLabel(
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.8, 0.1],
        [0.3, 0.3, 0.4],
        [0.45, 0.45, 0.1],
      ],
      [0, 2, 2, 1],
    );
    expectAllClose(t.confidence, [0.7, 0.8, 0.4, 0.45], 0);
    expect([...t.correct]).toEqual([1, 0, 1, 0]);
    expect(() => topLabel([[0.5, 0.5]], [2])).toThrow(/labels\[0\]/);
  });
});

describe('errors and degenerate input', () => {
  it('σ = 0 throws in the single tests, null in calibrationTests', () => {
    expect(() => kolmogorovSmirnovCalibrationTest([0, 1], [0, 1])).toThrow(/every confidence is 0 or 1/);
    expect(() => kuiperCalibrationTest([1, 1], [1, 0])).toThrow(/Kuiper/);
    expect(calibrationTests([0, 1], [0, 1])).toEqual({ ks: null, kuiper: null, spiegelhalter: null });
    const half = calibrationTests([0.5, 0.5], [0, 1]);
    expect(half.spiegelhalter).toBeNull();
    expect(half.ks).not.toBeNull();
  });
  it('bad input and options', () => {
    expect(() => kuiperCalibrationTest([0.2, 1.5], [0, 1])).toThrow(/confidence\[1\]/);
    expect(() => cumulativeDifferences([0.2], [0, 1])).toThrow(/E_SHAPE_MISMATCH|entries/);
    expect(() => cumulativeDifferences([0.2], [1], { ties: 'jitter' } as never)).toThrow(/ties/);
  });
});

/** Rejection rates and mean p-value of the three tests over R synthetic data sets of size n. */
function simulate(R: number, n: number, truth: (p: number) => number, seed: number) {
  const rate = { ks: [0, 0], kuiper: [0, 0], spiegelhalter: [0, 0] };
  const meanP = { ks: 0, kuiper: 0, spiegelhalter: 0 };
  for (let r = 0; r < R; r++) {
    const rng = createRandom(seed, 'calibration-mc', r).stream();
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = rng.uniform();
      y[i] = rng.uniform() < truth(p[i]!) ? 1 : 0;
    }
    const t = calibrationTests(p, y);
    for (const key of ['ks', 'kuiper', 'spiegelhalter'] as const) {
      const pv = t[key]!.pValue;
      if (pv < 0.05) rate[key][0]!++;
      if (pv < 0.2) rate[key][1]!++;
      meanP[key] += pv / R;
    }
  }
  for (const key of ['ks', 'kuiper', 'spiegelhalter'] as const) rate[key] = rate[key].map((c) => c / R);
  return { rate, meanP };
}

describe('Monte-Carlo behaviour', () => {
  it('perfectly calibrated y ~ Bernoulli(p): p-values roughly uniform', () => {
    // R = 2000 data sets of n = 500, p ~ U(0, 1). MC standard errors: 0.0049 for a rate at 0.05, 0.0089 at
    // 0.2, 0.0065 for the mean p-value. The asymptotic Brownian p-values are slightly conservative at finite n
    // (a discrete walk's max/range undershoots the continuous one), so the bands reach further down than up:
    // rate(0.05) ∈ [0.03, 0.065], rate(0.2) ∈ [0.16, 0.227], mean p ∈ [0.48, 0.56] (3 SE above nominal at
    // most: more would mean anti-conservative p-values). Observed (seed 11): KS .0445/.1945/.514, Kuiper
    // .044/.1755/.529, Spiegelhalter .047/.188/.504.
    const { rate, meanP } = simulate(2000, 500, (p) => p, 11);
    for (const key of ['ks', 'kuiper', 'spiegelhalter'] as const) {
      expect(rate[key][0]).toBeGreaterThanOrEqual(0.03);
      expect(rate[key][0]).toBeLessThanOrEqual(0.065);
      expect(rate[key][1]).toBeGreaterThanOrEqual(0.16);
      expect(rate[key][1]).toBeLessThanOrEqual(0.227);
      expect(meanP[key]).toBeGreaterThanOrEqual(0.48);
      expect(meanP[key]).toBeLessThanOrEqual(0.56);
    }
  });
  it("heavy ties (9 confidence values): 'random' keeps the nominal size, 'group' is conservative", () => {
    // R = 1000, n = 500, p uniform on {.1, …, .9}, y ~ Bernoulli(p). SE of a rate near 0.05: 0.0069.
    // Observed (seed 31): 'random' KS .051, Kuiper .058 → band [0.03, 0.08]; 'group' KS .037, Kuiper .030 and
    // per data set never a smaller p-value than 'random' (its evaluation points are a subset).
    const R = 1000;
    const n = 500;
    const rate = { group: [0, 0], random: [0, 0] };
    for (let r = 0; r < R; r++) {
      const rng = createRandom(31, 'ties-mc', r).stream();
      const p = new Float64Array(n);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        p[i] = (1 + rng.integer(9)) / 10;
        y[i] = rng.uniform() < p[i]! ? 1 : 0;
      }
      const g = calibrationTests(p, y, { ties: 'group' });
      const x = calibrationTests(p, y, { ties: 'random', seed: r });
      // (up to rounding: the partial sums at group ends are added in a different order)
      expect(g.ks!.pValue).toBeGreaterThanOrEqual(x.ks!.pValue - 1e-12);
      expect(g.kuiper!.pValue).toBeGreaterThanOrEqual(x.kuiper!.pValue - 1e-12);
      if (g.ks!.pValue < 0.05) rate.group[0]!++;
      if (g.kuiper!.pValue < 0.05) rate.group[1]!++;
      if (x.ks!.pValue < 0.05) rate.random[0]!++;
      if (x.kuiper!.pValue < 0.05) rate.random[1]!++;
    }
    for (const c of rate.random) {
      expect(c / R).toBeGreaterThanOrEqual(0.03);
      expect(c / R).toBeLessThanOrEqual(0.08);
    }
    for (const c of rate.group) expect(c / R).toBeLessThanOrEqual(0.065);
  });
  it('overconfident predictions (P(y=1) = 0.2 + 0.6p) are rejected', () => {
    // n = 500, R = 200: observed rejection at 0.05 = 0.90 (KS), 0.98 (Kuiper), 1.00 (Spiegelhalter); the
    // bounds leave at least 4.5 binomial SE (SE ≤ 0.021) of room.
    const { rate } = simulate(200, 500, (p) => 0.2 + 0.6 * p, 12);
    expect(rate.ks[0]).toBeGreaterThanOrEqual(0.8);
    expect(rate.kuiper[0]).toBeGreaterThanOrEqual(0.85);
    expect(rate.spiegelhalter[0]).toBeGreaterThanOrEqual(0.95);
  });
  it('a miscalibration with Σ(y − p)(1 − 2p) ≈ 0 in expectation (P(y=1) = p²): KS and Kuiper reject', () => {
    // E[(p² − p)(1 − 2p)] = 0 for p ~ U(0,1), so Spiegelhalter has little power here (observed 0.10 at
    // 0.05); the cumulative tests reject all 100 data sets.
    const { rate } = simulate(100, 500, (p) => p * p, 13);
    expect(rate.ks[0]).toBeGreaterThanOrEqual(0.95);
    expect(rate.kuiper[0]).toBeGreaterThanOrEqual(0.95);
  });
});
