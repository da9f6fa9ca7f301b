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
    const text = await runCli(['eval', 'calibration', f['m.csv']]);
    expect(text.stdout).toContain('ECE');
  });
  it('wrong columns exit 2', async () => {
    const f = writeTempFiles({ 'x.csv': 'a,b\n1,2\n' });
    const r = await runCli(['eval', 'calibration', f['x.csv']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('confidence,correct');
  });
});
