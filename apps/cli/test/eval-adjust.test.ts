import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith eval adjust', () => {
  const f = writeTempFiles({ 'p.csv': 'p\n0.01\n0.04\n0.03\n0.005\n0.2\n0.5\n' });
  it('holm (statsmodels values, spec §5)', async () => {
    const out = await runCliJson(['eval', 'adjust', f['p.csv'], '--method', 'holm']);
    expect(Object.keys(out)).toEqual(['adjusted', 'reject']);
    [0.05, 0.12, 0.12, 0.03, 0.4, 0.5].forEach((v, i) => {
      expect(out.adjusted[i]).toBeCloseTo(v, 12);
    });
    expect(out.reject).toEqual([true, false, false, true, false, false]);
  });
  it('fdr_by at alpha 0.05 rejects none; text output', async () => {
    const out = await runCliJson(['eval', 'adjust', f['p.csv'], '--method', 'fdr_by', '--alpha', '0.05']);
    expect(out.reject.every((v: boolean) => !v)).toBe(true);
    expect(out.adjusted[0]).toBeCloseTo(0.0735, 12);
    const text = await runCli(['eval', 'adjust', f['p.csv']]);
    expect(text.stdout).toContain('holm at alpha 0.05: 2 of 6 rejected');
  });
  it('unknown method and bad p-values exit 2', async () => {
    expect((await runCli(['eval', 'adjust', f['p.csv'], '--method', 'bh'])).code).toBe(2);
    const g = writeTempFiles({ 'bad.csv': 'p\n0.1\n1.2\n' });
    const r = await runCli(['eval', 'adjust', g['bad.csv']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pValues[1]');
  });
});
