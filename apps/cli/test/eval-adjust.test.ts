import { describe, expect, it } from 'vitest';
import { evalTempFiles } from './fixtures/eval/temp-files.js';
import { runCli } from './run-cli.js';

describe('modelsmith eval adjust', () => {
  const f = evalTempFiles({ 'p.csv': 'p\n0.01\n0.04\n0.03\n0.005\n0.2\n0.5\n' });
  it('holm (statsmodels values, spec §5)', async () => {
    const r = await runCli(['eval', 'adjust', f['p.csv']!, '--method', 'holm', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['adjusted', 'reject']);
    [0.05, 0.12, 0.12, 0.03, 0.4, 0.5].forEach((v, i) => {
      expect(out.adjusted[i]).toBeCloseTo(v, 12);
    });
    expect(out.reject).toEqual([true, false, false, true, false, false]);
  });
  it('fdr_by at alpha 0.05 rejects none; text output', async () => {
    const out = JSON.parse(
      (await runCli(['eval', 'adjust', f['p.csv']!, '--method', 'fdr_by', '--alpha', '0.05', '--json']))
        .stdout,
    );
    expect(out.reject.every((v: boolean) => !v)).toBe(true);
    expect(out.adjusted[0]).toBeCloseTo(0.0735, 12);
    const text = await runCli(['eval', 'adjust', f['p.csv']!]);
    expect(text.stdout).toContain('holm at alpha 0.05: 2 of 6 rejected');
  });
  it('unknown method and bad p-values exit 2', async () => {
    expect((await runCli(['eval', 'adjust', f['p.csv']!, '--method', 'bh'])).code).toBe(2);
    const g = evalTempFiles({ 'bad.csv': 'p\n0.1\n1.2\n' });
    const r = await runCli(['eval', 'adjust', g['bad.csv']!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pValues[1]');
  });
});
