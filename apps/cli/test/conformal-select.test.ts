import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Fixtures reproduce spec `conformal.md` §8 L: every calibration y ≤ c = 0, so the clipped score is −pred,
// giving calibration scores −2, −1.5, …, 7 and test scores [−3, −2.2, −1.2, 2.2, 6.8, −2.5].
const fixtures = join(import.meta.dirname, 'fixtures', 'conformal');
const cal = join(fixtures, 'sel-cal.csv');
const test = join(fixtures, 'sel-test.csv');

describe('modelsmith conformal select', () => {
  it('p-values [0.05,0.05,0.15,0.5,0.95,0.05]; fdr 0.2 → {0,1,5}; fdr 0.5 → {0,1,2,5}', async () => {
    const r = await runCli([
      'conformal',
      'select',
      '--cal',
      cal,
      '--test',
      test,
      '--fdr',
      '0.2',
      '--threshold',
      '0',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['pValues', 'selected']);
    [0.05, 0.05, 0.15, 0.5, 0.95, 0.05].forEach((p, j) => {
      expect(out.pValues[j]).toBeCloseTo(p, 12);
    });
    expect(out.selected).toEqual([0, 1, 5]);
    const half = JSON.parse(
      (
        await runCli([
          'conformal',
          'select',
          '--cal',
          cal,
          '--test',
          test,
          '--fdr',
          '0.5',
          '--threshold',
          '0',
          '--json',
        ])
      ).stdout,
    );
    expect(half.selected).toEqual([0, 1, 2, 5]);
  });

  it('clipping: calibration units with y > c never make a test unit look null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformal-select-'));
    // 19 units with y > 0 (clipped to M − pred, above every test score) → every p = 1/20
    writeFileSync(join(dir, 'cal.csv'), `y,pred\n${Array.from({ length: 19 }, () => '5,0').join('\n')}\n`);
    writeFileSync(join(dir, 'test.csv'), 'pred,y\n1,2\n-1,-3\n');
    const out = JSON.parse(
      (
        await runCli([
          'conformal',
          'select',
          '--cal',
          join(dir, 'cal.csv'),
          '--test',
          join(dir, 'test.csv'),
          '--fdr',
          '0.1',
          '--threshold',
          '0',
          '--json',
        ])
      ).stdout,
    );
    expect(out.pValues).toEqual([0.05, 0.05]);
    expect(out.selected).toEqual([0, 1]);
    const text = await runCli([
      'conformal',
      'select',
      '--cal',
      join(dir, 'cal.csv'),
      '--test',
      join(dir, 'test.csv'),
      '--fdr',
      '0.1',
      '--threshold',
      '0',
    ]);
    expect(text.stdout).toContain('realised FDP 0.5, power 1');
  });

  it('bad input: fdr outside (0,1), missing threshold', async () => {
    const a = await runCli([
      'conformal',
      'select',
      '--cal',
      cal,
      '--test',
      test,
      '--fdr',
      '1',
      '--threshold',
      '0',
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--fdr must be a number strictly between 0 and 1/);
    const b = await runCli(['conformal', 'select', '--cal', cal, '--test', test, '--fdr', '0.1']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing --threshold/);
  });
});
