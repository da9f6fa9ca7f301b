import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith scaling mixture', () => {
  it('finds the optimum of a synthetic mixture loss from proxy runs', async () => {
    // Deterministic grid of mixtures over 3 domains; loss = 2 + 5·‖w − (0.6, 0.3, 0.1)‖².
    const lines = ['web,code,books,loss'];
    for (let a = 0; a <= 20; a++)
      for (let b = 0; a + b <= 20; b++) {
        const w = [a / 20, b / 20, (20 - a - b) / 20];
        const loss = 2 + 5 * ((w[0]! - 0.6) ** 2 + (w[1]! - 0.3) ** 2 + (w[2]! - 0.1) ** 2);
        lines.push(`${w.join(',')},${loss}`);
      }
    const csv = writeTempFiles({ 'runs.csv': `${lines.join('\n')}\n` })['runs.csv'];
    const out = await runCliJson(['scaling', 'mixture', csv, '--simulate', '5000', '--top-k', '32']);
    expect(out.domains).toEqual(['web', 'code', 'books']);
    expect(Math.abs(out.mixture.web - 0.6)).toBeLessThan(0.1);
    expect(Math.abs(out.mixture.code - 0.3)).toBeLessThan(0.1);
    expect(out.trainSpearman).toBeGreaterThan(0.9);
    const bad = await runCli(['scaling', 'mixture', csv, '--regressor', 'svm']);
    expect(bad.code).toBe(2);
  }, 30_000);
});
