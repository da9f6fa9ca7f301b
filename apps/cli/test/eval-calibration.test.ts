import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

const conf = [0.95, 0.92, 0.86, 0.81, 0.77, 0.72, 0.66, 0.61, 0.55, 0.52, 0.99, 0.91, 0.68, 0.58, 0.74, 0.88];
const correct = [1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0];

describe('modelsmith eval calibration', () => {
  it('confidence,correct: ECE 0.206875, MCE 0.516667, Brier 0.23784375 (spec §4)', async () => {
    const f = writeTempFiles({
      'p.csv': ['confidence,correct', ...conf.map((c, i) => `${c},${correct[i]}`)].join('\n'),
    });
    const out = await runCliJson(['eval', 'calibration', f['p.csv'], '--bins', '10']);
    expect(out.ece).toBeCloseTo(0.206875, 12);
    expect(out.mce).toBeCloseTo(0.516667, 6);
    expect(out.brier).toBeCloseTo(0.23784375, 12);
    expect(out.reliability).toHaveLength(10);
    expect(out.reliability[0]).toEqual({ lo: 0, hi: 0.1, count: 0, confidence: null, accuracy: null });
    expect(out.reliability[9].count).toBe(4);
    const quantile = await runCliJson([
      'eval',
      'calibration',
      f['p.csv'],
      '--bins',
      '4',
      '--strategy',
      'quantile',
    ]);
    // Equal-mass 4-bin ECE of the same fixture: spec §4 (eval calibration checks).
    expect(quantile.ece).toBeCloseTo(0.163125, 12);
  });
  // Worked by hand: Brier = (0.14 + 1.46 + 0.54)/3 = 0.713333; log loss = −(ln 0.7 + ln 0.1 + ln 0.4)/3 = 1.191850.
  it('label + class probabilities: multiclass Brier 0.713333, log loss 1.191850', async () => {
    const f = writeTempFiles({ 'm.csv': 'label,p0,p1,p2\n0,.7,.2,.1\n2,.1,.8,.1\n2,.3,.3,.4\n' });
    const out = await runCliJson(['eval', 'calibration', f['m.csv'], '--bins', '5']);
    expect(out.brier).toBeCloseTo(0.713333, 6);
    expect(out.logLoss).toBeCloseTo(1.19185, 6);
    expect(out.classwiseEce).toBeTypeOf('number');
    // Tests run on the top label: confidences .7 (right), .8 (wrong), .4 (right). Sorted: +.6, +.3, −.8 →
    // C = .2, .3, .0333; σ = √(.24 + .21 + .16)/3 → KS = Kuiper (C_0 = 0 is the minimum) = .9/√.61.
    expect(out.calibrationTests.ks.statistic).toBeCloseTo(0.9 / Math.sqrt(0.61), 12);
    expect(out.calibrationTests.kuiper.statistic).toBeCloseTo(0.9 / Math.sqrt(0.61), 12);
    expect(out.debiasedEce).toBeNull(); // 3 predictions < 5 bins
    const text = await runCli(['eval', 'calibration', f['m.csv']]);
    expect(text.stdout).toContain('ECE');
  });
  // Worked by hand (same data as packages/eval/test/calibration-tests.test.ts): sorted by confidence the
  // partial sums of y − p are −.2, .4, −.2, .1, .2 (÷5), σ = √.94/5 → KS = .4/√.94, Kuiper = .6/√.94;
  // Spiegelhalter z = −.08/√.168. Debiased ECE with 2 equal-mass bins {.2,.4,.6} | {.7,.9}:
  // squared = .6·((.4 − 1/3)² − (2/9)/2) + .4·(.8 − 1)² = −0.048, plug-in √(.6/225 + .016).
  it('calibration tests and debiased ECE (hand-worked), summary lines, --ties', async () => {
    const f = writeTempFiles({
      'h.csv': 'confidence,correct\n0.2,0\n0.9,1\n0.6,0\n0.4,1\n0.7,1\n',
    });
    const out = await runCliJson(['eval', 'calibration', f['h.csv'], '--bins', '2']);
    expect(out.calibrationTests.ks.statistic).toBeCloseTo(0.4 / Math.sqrt(0.94), 12);
    expect(out.calibrationTests.ks.pValue).toBeCloseTo(0.9990939592334844, 12); // mpmath
    expect(out.calibrationTests.kuiper.statistic).toBeCloseTo(0.6 / Math.sqrt(0.94), 12);
    expect(out.calibrationTests.kuiper.pValue).toBeCloseTo(0.999944991869545, 12); // mpmath
    expect(out.calibrationTests.spiegelhalter.statistic).toBeCloseTo(-0.08 / Math.sqrt(0.168), 12);
    expect(out.calibrationTests.spiegelhalter.pValue).toBeCloseTo(0.8452520242196514, 12); // mpmath erfc
    expect(out.debiasedEce.squared).toBeCloseTo(-0.048, 12);
    expect(out.debiasedEce.ece).toBe(0);
    expect(out.debiasedEce.plugin).toBeCloseTo(Math.sqrt(0.6 / 225 + 0.016), 12);
    expect(out.debiasedEce.bins).toBe(2);
    // existing fields keep their meaning: 2 uniform bins [0,.5] (.2,.4) and (.5,1] (.6,.7,.9)
    expect(out.ece).toBeCloseTo(0.4 * Math.abs(0.5 - 0.3) + 0.6 * Math.abs(2 / 3 - 2.2 / 3), 12);
    expect(out.reliability.map((b: { count: number }) => b.count)).toEqual([2, 3]);
    const text = await runCli(['eval', 'calibration', f['h.csv'], '--bins', '2']);
    expect(text.stdout).toContain('debiased L2 ECE 0');
    expect(text.stdout).toContain('KS 0.412568 (p 0.999094)');
    expect(text.stdout).toContain('Spiegelhalter z -0.19518');
    // Ties: {.5: y=1, .5: y=0}; grouped KS = |−.3|/4/σ, a random order can only be ≥ that.
    const t = writeTempFiles({ 't.csv': 'confidence,correct\n0.3,0\n0.5,1\n0.5,0\n0.8,1\n' });
    const sigma = Math.sqrt(0.21 + 0.25 + 0.25 + 0.16) / 4;
    const grouped = await runCliJson(['eval', 'calibration', t['t.csv'], '--bins', '2']);
    expect(grouped.calibrationTests.ks.statistic).toBeCloseTo(0.075 / sigma, 12);
    const random = await runCliJson(['eval', 'calibration', t['t.csv'], '--ties', 'random', '--seed', '3']);
    expect(
      [0.075 / sigma, 0.2 / sigma].some((v) => Math.abs(random.calibrationTests.ks.statistic - v) < 1e-12),
    ).toBe(true);
    expect(random.debiasedEce).toBeNull(); // 4 predictions < 15 bins
    const bad = await runCli(['eval', 'calibration', t['t.csv'], '--ties', 'jitter']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ties');
  });
  it('undefined tests are null (all confidences 0 or 1)', async () => {
    const f = writeTempFiles({ 'd.csv': 'confidence,correct\n0,0\n1,1\n1,0\n' });
    const out = await runCliJson(['eval', 'calibration', f['d.csv'], '--bins', '1']);
    expect(out.calibrationTests).toEqual({ ks: null, kuiper: null, spiegelhalter: null });
    expect(out.debiasedEce.bins).toBe(1);
  });
  it('wrong columns exit 2', async () => {
    const f = writeTempFiles({ 'x.csv': 'a,b\n1,2\n' });
    const r = await runCli(['eval', 'calibration', f['x.csv']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('confidence,correct');
  });
});
