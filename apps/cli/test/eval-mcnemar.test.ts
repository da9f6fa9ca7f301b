import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith eval mcnemar', () => {
  it('--table: corrected χ² 20.672222, p 5.450095e-06 (spec §1.2)', async () => {
    const out = await runCliJson(['eval', 'mcnemar', '--table', '101,121,59,33']);
    expect(Object.keys(out)).toEqual(['statistic', 'pValue']);
    expect(out.statistic).toBeCloseTo(20.672222, 6);
    expect(Math.abs(out.pValue - 5.450095e-6)).toBeLessThan(5e-13);
  });
  it('--no-correction and --exact', async () => {
    const u = await runCliJson(['eval', 'mcnemar', '--table', '101,121,59,33', '--no-correction']);
    expect(u.statistic).toBeCloseTo(21.355556, 6);
    const e = await runCliJson(['eval', 'mcnemar', '--table', '101,121,59,33', '--exact']);
    expect(e.statistic).toBeNull();
    expect(Math.abs(e.pValue - 4.434449e-6)).toBeLessThan(5e-13);
  });
  it('--pred builds the table from y,model1,model2 (mlxtend test table [[4,2],[1,3]])', async () => {
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const m1 = [0, 1, 0, 0, 0, 1, 1, 0, 0, 0];
    const m2 = [0, 0, 1, 1, 0, 1, 1, 0, 0, 0];
    const csv = ['y,model1,model2', ...y.map((v, i) => `${v},${m1[i]},${m2[i]}`)].join('\n');
    const f = writeTempFiles({ 'p.csv': csv });
    const r = await runCli(['eval', 'mcnemar', '--pred', f['p.csv'], '--exact', '--json']);
    // b01 = 2, b10 = 1: p = min(1, 2·P(X ≤ 1; 3, ½)) = 1
    expect(JSON.parse(r.stdout)).toEqual({ statistic: null, pValue: 1 });
    const text = await runCli(['eval', 'mcnemar', '--pred', f['p.csv']]);
    expect(text.stdout).toContain('[[4, 2], [1, 3]]');
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['eval', 'mcnemar'])).code).toBe(2);
    const bad = await runCli(['eval', 'mcnemar', '--table', '1,2,3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('four');
  });
});
