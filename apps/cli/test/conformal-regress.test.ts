import { describe, expect, it } from 'vitest';
import { conformalArgs, conformalFixture } from './conformal-args.js';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

// Fixture numbers: spec `conformal.md` §8 F (absolute residuals) and G (CQR).
const files = { cal: conformalFixture('reg-cal.csv'), test: conformalFixture('reg-test.csv') };
const regress = (...flags: string[]) => conformalArgs('regress', files, ...flags);

describe('modelsmith conformal regress', () => {
  it('absolute score, alpha 0.1 → k=10 > n? no: n=9, k=⌈10·0.9⌉=9, q=1.3', async () => {
    const out = await runCliJson(regress('--alpha', '0.1'));
    expect(Object.keys(out)).toEqual(['k', 'threshold', 'intervals', 'coverage']);
    expect(out.k).toBe(9);
    expect(out.threshold).toBeCloseTo(1.3, 12);
    expect(out.intervals[0][0]).toBeCloseTo(8.7, 12);
    expect(out.intervals[0][1]).toBeCloseTo(11.3, 12);
    expect(out.intervals[1][0]).toBeCloseTo(-1.3, 12);
    expect(out.intervals[1][1]).toBeCloseTo(1.3, 12);
    expect(out.coverage).toBe(0.5); // 10.5 in [8.7, 11.3], 2 not in [-1.3, 1.3]
  });

  it('alpha 0.05 → k=10 > n: infinite threshold and bounds written as null', async () => {
    const out = await runCliJson(regress('--alpha', '0.05'));
    expect(out.k).toBe(10);
    expect(out.threshold).toBeNull();
    expect(out.intervals[0]).toEqual([null, null]);
    expect(out.coverage).toBe(1);
  });

  it('normalized score: threshold 0.65 (residuals / σ=2), half-width 0.65·σ_test', async () => {
    const out = await runCliJson(regress('--alpha', '0.1', '--score', 'normalized'));
    expect(out.threshold).toBeCloseTo(0.65, 12);
    expect(out.intervals[1][1]).toBeCloseTo(1.95, 12);
  });

  it('cqr: alpha 0.5 → Q=−0.3, [3,5] → [3.3,4.7]; alpha 0.2 → Q=0.5, [2.5,5.5]', async () => {
    const a = await runCliJson(regress('--alpha', '0.5', '--score', 'cqr'));
    expect(a.threshold).toBeCloseTo(-0.3, 12);
    expect(a.intervals[0][0]).toBeCloseTo(3.3, 12);
    expect(a.intervals[0][1]).toBeCloseTo(4.7, 12);
    const b = await runCliJson(regress('--alpha', '0.2', '--score', 'cqr'));
    expect(b.threshold).toBeCloseTo(0.5, 12);
    expect(b.intervals[0]).toEqual([2.5, 5.5]);
  });

  it('test file without y: no coverage key; text mode prints the rank and intervals', async () => {
    const noY = {
      cal: files.cal,
      test: writeTempFiles({ 'test.csv': 'pred\n10\n' }, 'conformal-regress-')['test.csv'],
    };
    const json = await runCliJson(conformalArgs('regress', noY, '--alpha', '0.1'));
    expect(Object.keys(json)).toEqual(['k', 'threshold', 'intervals']);
    const text = await runCli(conformalArgs('regress', noY, '--alpha', '0.1'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('k = 9');
    expect(text.stdout).toContain('8.7,11.3');
  });

  it('bad input exits 2 with a one-line reason', async () => {
    const bad = writeTempFiles(
      { 'nan.csv': 'y,pred\n1,NaN\n', 'sigma0.csv': 'y,pred,sigma\n1,1,0\n', 'noy.csv': 'pred\n1\n' },
      'conformal-regress-bad-',
    );
    const withCal = (cal: string) => ({ cal, test: files.test });
    const cases: [string[], RegExp][] = [
      [regress('--alpha', '1.5'), /--alpha must be a number strictly between 0 and 1/],
      [regress('--alpha', '0'), /strictly between 0 and 1/],
      [regress('--alpha', '0.1', '--score', 'gamma'), /--score must be absolute, normalized or cqr/],
      [
        conformalArgs('regress', withCal(bad['nan.csv']), '--alpha', '0.1'),
        /row 2, column 'pred': 'NaN' is not a finite number/,
      ],
      [
        conformalArgs('regress', withCal(bad['sigma0.csv']), '--alpha', '0.1', '--score', 'normalized'),
        /sigma\[0\] is 0/,
      ],
      [['conformal', 'regress', '--cal', files.cal, '--alpha', '0.1'], /missing --test/],
      [conformalArgs('regress', withCal(bad['noy.csv']), '--alpha', '0.1'), /no column 'y'/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('--help shows usage and an example', async () => {
    const r = await runCli(['conformal', 'regress', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Example:');
  });
});
