import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith eval wilcoxon / friedman', () => {
  it('wilcoxon on differences: W=7, exact p=0.037109375 (spec §5)', async () => {
    const f = writeTempFiles({ 'd.csv': 'd\n1\n-2\n3\n4\n-5\n6\n7\n8\n9\n10\n' });
    const r = await runCli(['eval', 'wilcoxon', f['d.csv'], '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ statistic: 7, pValue: 0.037109375, method: 'exact', n: 10 });
    const approx = await runCliJson(['eval', 'wilcoxon', f['d.csv'], '--method', 'approx', '--correction']);
    // scipy 1.17.1: stats.wilcoxon(d, method='approx', correction=True).pvalue, computed while writing the test.
    expect(approx.pValue).toBeCloseTo(0.04149108738773157, 12);
    expect(approx.z).toBeTypeOf('number');
  });
  it('wilcoxon on x,y pairs equals the differences', async () => {
    const f = writeTempFiles({ 'xy.csv': 'x,y\n2,1\n1,3\n5,2\n6,2\n0,5\n9,3\n8,1\n10,2\n12,3\n11,1\n' });
    const out = await runCliJson(['eval', 'wilcoxon', f['xy.csv']]);
    expect(out.pValue).toBe(0.037109375);
  });
  // Worked by hand: rank sums a=7, b=12, c=17 over n=6, k=3 → χ² = 12/(n k (k+1))·ΣR² − 3n(k+1) = 8.3333,
  // p = exp(−χ²/2) = 0.015504 (χ² with 2 df); Nemenyi CD = q₀.₀₅(3, ∞)/√2 · √(k(k+1)/(6n)) (Demšar 2006, 2.3437).
  it('friedman: χ²=8.333333, p=0.015504 and Nemenyi output', async () => {
    const csv =
      'dataset,a,b,c\nd1,.81,.79,.70\nd2,.75,.77,.71\nd3,.90,.85,.80\nd4,.66,.60,.62\nd5,.72,.70,.65\nd6,.88,.86,.80\n';
    const f = writeTempFiles({ 's.csv': csv });
    const out = await runCliJson(['eval', 'friedman', f['s.csv']]);
    expect(out.statistic).toBeCloseTo(8.333333, 6);
    expect(out.pValue).toBeCloseTo(0.015504, 6);
    expect(out.models).toEqual(['a', 'b', 'c']);
    expect(out.nemenyi.meanRanks.a).toBeCloseTo(7 / 6, 12);
    expect(out.nemenyi.criticalDifference).toBeCloseTo(2.343700586378409 * Math.sqrt(12 / 36), 7);
    expect(out.nemenyi.pValues.a.c).toBeLessThan(0.05);
    const text = await runCli(['eval', 'friedman', f['s.csv']]);
    expect(text.stdout).toContain('Friedman');
  });
});
