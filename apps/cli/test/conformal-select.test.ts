import { describe, expect, it } from 'vitest';
import { conformalArgs, conformalFixture } from './conformal-args.js';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

// Fixtures reproduce spec `conformal.md` §8 L: every calibration y ≤ c = 0, so the clipped score is −pred,
// giving calibration scores −2, −1.5, …, 7 and test scores [−3, −2.2, −1.2, 2.2, 6.8, −2.5].
const files = { cal: conformalFixture('sel-cal.csv'), test: conformalFixture('sel-test.csv') };
const select = (...flags: string[]) => conformalArgs('select', files, ...flags);

describe('modelsmith conformal select', () => {
  it('p-values [0.05,0.05,0.15,0.5,0.95,0.05]; fdr 0.2 → {0,1,5}; fdr 0.5 → {0,1,2,5}', async () => {
    const out = await runCliJson(select('--fdr', '0.2', '--threshold', '0'));
    expect(Object.keys(out)).toEqual(['pValues', 'selected']);
    for (const [j, p] of [0.05, 0.05, 0.15, 0.5, 0.95, 0.05].entries()) {
      expect(out.pValues[j]).toBeCloseTo(p, 12);
    }
    expect(out.selected).toEqual([0, 1, 5]);
    const half = await runCliJson(select('--fdr', '0.5', '--threshold', '0'));
    expect(half.selected).toEqual([0, 1, 2, 5]);
  });

  it('clipping: calibration units with y > c never make a test unit look null', async () => {
    // 19 units with y > 0 (clipped to M − pred, above every test score) → every p = 1/20
    const clipped = writeTempFiles(
      {
        cal: `y,pred\n${Array.from({ length: 19 }, () => '5,0').join('\n')}\n`,
        test: 'pred,y\n1,2\n-1,-3\n',
      },
      'conformal-select-',
    );
    const flags = ['--fdr', '0.1', '--threshold', '0'];
    const out = await runCliJson(conformalArgs('select', clipped, ...flags));
    expect(out.pValues).toEqual([0.05, 0.05]);
    expect(out.selected).toEqual([0, 1]);
    const text = await runCli(conformalArgs('select', clipped, ...flags));
    expect(text.stdout).toContain('realised FDP 0.5, power 1');
  });

  it('bad input: fdr outside (0,1), missing threshold', async () => {
    const a = await runCli(select('--fdr', '1', '--threshold', '0'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--fdr must be a number strictly between 0 and 1/);
    const b = await runCli(select('--fdr', '0.1'));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing --threshold/);
  });
});
