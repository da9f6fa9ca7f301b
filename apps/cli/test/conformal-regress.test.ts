import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Fixture numbers: spec `conformal.md` §8 F (absolute residuals) and G (CQR).
const fixtures = join(import.meta.dirname, 'fixtures', 'conformal');
const cal = join(fixtures, 'reg-cal.csv');
const test = join(fixtures, 'reg-test.csv');

describe('modelsmith conformal regress', () => {
  it('absolute score, alpha 0.1 → k=10 > n? no: n=9, k=⌈10·0.9⌉=9, q=1.3', async () => {
    const { code, stdout } = await runCli([
      'conformal',
      'regress',
      '--cal',
      cal,
      '--test',
      test,
      '--alpha',
      '0.1',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
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
    const { code, stdout } = await runCli([
      'conformal',
      'regress',
      '--cal',
      cal,
      '--test',
      test,
      '--alpha',
      '0.05',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.k).toBe(10);
    expect(out.threshold).toBeNull();
    expect(out.intervals[0]).toEqual([null, null]);
    expect(out.coverage).toBe(1);
  });

  it('normalized score: threshold 0.65 (residuals / σ=2), half-width 0.65·σ_test', async () => {
    const { stdout } = await runCli([
      'conformal',
      'regress',
      '--cal',
      cal,
      '--test',
      test,
      '--alpha',
      '0.1',
      '--score',
      'normalized',
      '--json',
    ]);
    const out = JSON.parse(stdout);
    expect(out.threshold).toBeCloseTo(0.65, 12);
    expect(out.intervals[1][1]).toBeCloseTo(1.95, 12);
  });

  it('cqr: alpha 0.5 → Q=−0.3, [3,5] → [3.3,4.7]; alpha 0.2 → Q=0.5, [2.5,5.5]', async () => {
    const a = JSON.parse(
      (
        await runCli([
          'conformal',
          'regress',
          '--cal',
          cal,
          '--test',
          test,
          '--alpha',
          '0.5',
          '--score',
          'cqr',
          '--json',
        ])
      ).stdout,
    );
    expect(a.threshold).toBeCloseTo(-0.3, 12);
    expect(a.intervals[0][0]).toBeCloseTo(3.3, 12);
    expect(a.intervals[0][1]).toBeCloseTo(4.7, 12);
    const b = JSON.parse(
      (
        await runCli([
          'conformal',
          'regress',
          '--cal',
          cal,
          '--test',
          test,
          '--alpha',
          '0.2',
          '--score',
          'cqr',
          '--json',
        ])
      ).stdout,
    );
    expect(b.threshold).toBeCloseTo(0.5, 12);
    expect(b.intervals[0]).toEqual([2.5, 5.5]);
  });

  it('test file without y: no coverage key; text mode prints the rank and intervals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformal-regress-'));
    writeFileSync(join(dir, 'test.csv'), 'pred\n10\n');
    const json = JSON.parse(
      (
        await runCli([
          'conformal',
          'regress',
          '--cal',
          cal,
          '--test',
          join(dir, 'test.csv'),
          '--alpha',
          '0.1',
          '--json',
        ])
      ).stdout,
    );
    expect(Object.keys(json)).toEqual(['k', 'threshold', 'intervals']);
    const text = await runCli([
      'conformal',
      'regress',
      '--cal',
      cal,
      '--test',
      join(dir, 'test.csv'),
      '--alpha',
      '0.1',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('k = 9');
    expect(text.stdout).toContain('8.7,11.3');
  });

  it('bad input exits 2 with a one-line reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformal-regress-bad-'));
    writeFileSync(join(dir, 'nan.csv'), 'y,pred\n1,NaN\n');
    writeFileSync(join(dir, 'sigma0.csv'), 'y,pred,sigma\n1,1,0\n');
    const cases: [string[], RegExp][] = [
      [['--alpha', '1.5'], /--alpha must be a number strictly between 0 and 1/],
      [['--alpha', '0'], /strictly between 0 and 1/],
      [['--alpha', '0.1', '--score', 'gamma'], /--score must be absolute, normalized or cqr/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['conformal', 'regress', '--cal', cal, '--test', test, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const nan = await runCli([
      'conformal',
      'regress',
      '--cal',
      join(dir, 'nan.csv'),
      '--test',
      test,
      '--alpha',
      '0.1',
    ]);
    expect(nan.code).toBe(2);
    expect(nan.stderr).toMatch(/row 2, column 'pred': 'NaN' is not a finite number/);
    const sigma = await runCli([
      'conformal',
      'regress',
      '--cal',
      join(dir, 'sigma0.csv'),
      '--test',
      test,
      '--alpha',
      '0.1',
      '--score',
      'normalized',
    ]);
    expect(sigma.code).toBe(2);
    expect(sigma.stderr).toMatch(/sigma\[0\] is 0/);
    const missing = await runCli(['conformal', 'regress', '--cal', cal, '--alpha', '0.1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --test/);
    writeFileSync(join(dir, 'noy.csv'), 'pred\n1\n');
    const noY = await runCli([
      'conformal',
      'regress',
      '--cal',
      join(dir, 'noy.csv'),
      '--test',
      test,
      '--alpha',
      '0.1',
    ]);
    expect(noY.code).toBe(2);
    expect(noY.stderr).toMatch(/no column 'y'/);
  });

  it('--help shows usage and an example', async () => {
    const r = await runCli(['conformal', 'regress', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Example:');
  });
});
