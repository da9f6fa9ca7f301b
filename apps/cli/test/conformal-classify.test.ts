import { describe, expect, it } from 'vitest';
import { conformalArgs, conformalFixture } from './conformal-args.js';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';

// Calibration: 8 rows of true class a with π=[0.9,0.05,0.03,0.02] (APS score 0.9, LAC 0.1) and one row of
// class b with π=[0.4,0.1,0.3,0.2] (b ranked last: APS score 1.0, LAC 0.9). The first test row is the
// spec §8 I vector π=[0.5,0.3,0.15,0.05]; APS at q̂=0.9 with the last label included gives {0,1,2}.
const files = { cal: conformalFixture('cls-cal.csv'), test: conformalFixture('cls-test.csv') };
const classify = (...flags: string[]) => conformalArgs('classify', files, ...flags);

describe('modelsmith conformal classify', () => {
  it('APS, alpha 0.2: k=8, q̂=0.9, sets {0,1,2} and {1,2,3}', async () => {
    const out = await runCliJson(classify('--alpha', '0.2', '--score', 'aps'));
    expect(Object.keys(out)).toEqual(['k', 'threshold', 'sets', 'coverage', 'meanSetSize']);
    expect(out.k).toBe(8);
    expect(out.threshold).toBeCloseTo(0.9, 12);
    expect(out.sets).toEqual([
      [0, 1, 2],
      [1, 2, 3],
    ]);
    expect(out.coverage).toBe(1);
    expect(out.meanSetSize).toBe(3);
  });

  it('LAC, alpha 0.1: k=9 (max), q̂=0.9 → {y : π_y ≥ 0.1}', async () => {
    const out = await runCliJson(classify('--alpha', '0.1'));
    expect(out.k).toBe(9);
    expect(out.threshold).toBeCloseTo(0.9, 12);
    expect(out.sets).toEqual([
      [0, 1, 2],
      [1, 2, 3],
    ]);
  });

  it('RAPS λ=0.1, k_reg=1 and randomized APS with a seed are reproducible', async () => {
    const raps = await runCliJson(
      classify('--alpha', '0.2', '--score', 'raps', '--lambda', '0.1', '--k-reg', '1'),
    );
    // calibration RAPS scores: 8 × 0.9 (rank 1, no penalty) and 1.0 + 0.1·3 = 1.3 → q̂ = 0.9
    expect(raps.threshold).toBeCloseTo(0.9, 12);
    // test row 1: 0.5, 0.9 → the crossing label (rank 2, score 0.9 ≥ q̂) is the last included
    expect(raps.sets[0]).toEqual([0, 1]);
    const args = classify('--alpha', '0.2', '--score', 'aps', '--seed', '3', '--json');
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('test file without y: coverage omitted', async () => {
    const noLabel = { cal: files.cal, test: conformalFixture('cls-test-nolabel.csv') };
    const out = await runCliJson(conformalArgs('classify', noLabel, '--alpha', '0.1'));
    expect(Object.keys(out)).toEqual(['k', 'threshold', 'sets', 'meanSetSize']);
  });

  it('rejects probability rows that do not sum to 1 (tolerance 1e-6) and bad alpha', async () => {
    const badSum = { cal: files.cal, test: conformalFixture('cls-bad-sum.csv') };
    const bad = await runCli(conformalArgs('classify', badSum, '--alpha', '0.1'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cls-bad-sum\.csv: row 2: class probabilities sum to 0\.99.*tolerance 1e-6/);
    const alpha = await runCli(classify('--alpha', '-0.1'));
    expect(alpha.code).toBe(2);
    const score = await runCli(classify('--alpha', '0.1', '--score', 'saps'));
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(/--score must be lac, aps or raps/);
  });

  it('text mode names the classes', async () => {
    const r = await runCli(classify('--alpha', '0.1'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('{a b c}');
  });
});
