// Fixture: spec §4 (sklearn calibration_curve checked there). Sample-level r and L2 ECE computed with numpy
// while writing the tests (np.corrcoef → 0.2538457922337017; L2 ECE → 0.27080416509598465).
import { describe, expect, it } from 'vitest';
import { confidenceCorrectnessCorrelation } from '../src/calibration/confidence-correctness.js';
import { classwiseEce, ece, mce, topLabelEce } from '../src/calibration/ece.js';
import { reliabilityBins } from '../src/calibration/reliability-bins.js';
import {
  brierScore,
  brierScoreMulticlass,
  logLoss,
  logLossBinary,
} from '../src/calibration/scoring-rules.js';
import { spiegelhalterTest } from '../src/calibration/spiegelhalter.js';
import { expectClose } from './helpers.js';

const conf = [0.95, 0.92, 0.86, 0.81, 0.77, 0.72, 0.66, 0.61, 0.55, 0.52, 0.99, 0.91, 0.68, 0.58, 0.74, 0.88];
const correct = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0];

describe('reliability bins and ECE', () => {
  it('10 equal-width (lo, hi] bins match sklearn calibration_curve', () => {
    const bins = reliabilityBins(conf, correct, { bins: 10 }).filter((b) => b.count > 0);
    const expected = [
      [0.5, 3, 0.6667, 0.55],
      [0.6, 3, 0.3333, 0.65],
      [0.7, 3, 0.6667, 0.74333],
      [0.8, 3, 0.3333, 0.85],
      [0.9, 4, 1.0, 0.9425],
    ];
    expect(bins.length).toBe(5);
    bins.forEach((b, i) => {
      const [lo, count, acc, c] = expected[i]!;
      expectClose(b.lo, lo!, 1e-12);
      expect(b.count).toBe(count);
      expectClose(b.accuracy!, acc!, 5e-5);
      expectClose(b.confidence!, c!, 5e-6);
    });
  });
  it('ECE 0.206875, MCE 0.516667, equal-mass 4-bin ECE 0.163125, L2 ECE', () => {
    expectClose(ece(conf, correct, { bins: 10 }), 0.206875, 1e-12);
    expectClose(mce(conf, correct, { bins: 10 }), 0.516667, 5e-7);
    expectClose(ece(conf, correct, { bins: 4, strategy: 'quantile' }), 0.163125, 1e-12);
    expectClose(ece(conf, correct, { bins: 10, norm: 'l2' }), 0.27080416509598465, 1e-12);
  });
  it('edge rule: a value exactly on an edge moves between bins', () => {
    const right = reliabilityBins([0.5, 0.25], [1, 0], { bins: 2 });
    const left = reliabilityBins([0.5, 0.25], [1, 0], { bins: 2, edge: 'left' });
    expect(right.map((b) => b.count)).toEqual([2, 0]);
    expect(left.map((b) => b.count)).toEqual([1, 1]);
    expect(reliabilityBins([0, 1], [0, 1], { bins: 4, edge: 'left' }).map((b) => b.count)).toEqual([
      1, 0, 0, 1,
    ]);
  });
  it('perfect calibration on an exact fixture gives ECE 0', () => {
    // Two bins: confidence 0.25 with 1/4 correct, 0.75 with 3/4 correct.
    expect(ece([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75], [1, 0, 0, 0, 1, 1, 1, 0], { bins: 2 })).toBe(
      0,
    );
  });
  it('rejects out-of-range input', () => {
    expect(() => ece([1.2], [1])).toThrow(/confidence\[0\]/);
    expect(() => ece([0.2], [2])).toThrow(/correct\[0\]/);
  });
});

describe('correlation (AstroMLab style)', () => {
  it('bin-level r 0.363823, sample-level r 0.253846', () => {
    const r = confidenceCorrectnessCorrelation(conf, correct, { bins: 10 });
    expectClose(r.binCorrelation, 0.363823, 5e-7);
    expectClose(r.sampleCorrelation, 0.2538457922337017, 1e-12);
    expect(r.bins).toBe(5);
    // slope = r · sd(acc)/sd(conf) over bins
    const bins = reliabilityBins(conf, correct, { bins: 10 }).filter((b) => b.count > 0);
    const sd = (v: number[]) => {
      const m = v.reduce((s, a) => s + a, 0) / v.length;
      return Math.sqrt(v.reduce((s, a) => s + (a - m) ** 2, 0));
    };
    const slope = (r.binCorrelation * sd(bins.map((b) => b.accuracy!))) / sd(bins.map((b) => b.confidence!));
    expectClose(r.calibrationSlope, slope, 1e-12);
  });
});

describe('scoring rules', () => {
  const P = [
    [0.7, 0.2, 0.1],
    [0.1, 0.8, 0.1],
    [0.3, 0.3, 0.4],
  ];
  const y = [0, 2, 2];
  it('multiclass Brier 0.713333 and log loss 1.191850', () => {
    expectClose(brierScoreMulticlass(P, y), 0.713333, 5e-7);
    expectClose(logLoss(P, y), 1.19185, 5e-7);
  });
  it('binary Brier on the fixture 0.23784375; binary log loss = two-column multiclass', () => {
    expectClose(brierScore(conf, correct), 0.23784375, 1e-12);
    const two = conf.map((p) => [1 - p, p]);
    expectClose(logLossBinary(conf, correct), logLoss(two, correct), 1e-12);
  });
  it('top-label and classwise ECE', () => {
    // top-label: conf = [.7,.8,.4], correct = [1,0,1]; 1 bin → |2/3 − 0.6333| = 0.0333…
    expectClose(topLabelEce(P, y, { bins: 1 }), Math.abs(2 / 3 - 1.9 / 3), 1e-12);
    // classwise with 1 bin: mean_k |mean p_k − freq_k| = (|1.1/3 − 1/3| + |1.3/3 − 0| + |0.6/3 − 2/3|)/3
    expectClose(classwiseEce(P, y, { bins: 1 }), (0.1 / 3 + 1.3 / 3 + 1.4 / 3) / 3, 1e-12);
  });
});

describe('spiegelhalterTest', () => {
  it('fixture (numpy/scipy: z 1.6549042238046079, p 0.0979439273503108)', () => {
    const r = spiegelhalterTest(conf, correct);
    expectClose(r.z, 1.6549042238046079, 1e-12);
    expectClose(r.pValue, 0.0979439273503108, 1e-12);
  });
});
