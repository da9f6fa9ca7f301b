import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith eval bootstrap', () => {
  const f = writeTempFiles({ 'v.csv': 'value\n2.1\n3.4\n1.9\n5.6\n4.2\n3.3\n2.8\n6.1\n3.9\n2.5\n' });
  it('prints the documented JSON, seeded and reproducible, interval around the mean 3.58', async () => {
    const args = [
      'eval',
      'bootstrap',
      f['v.csv'],
      '--stat',
      'mean',
      '--ci',
      '0.95',
      '--method',
      'bca',
      '--seed',
      '7',
      '--rounds',
      '400',
      '--json',
    ];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout);
    expect(Object.keys(out)).toEqual([
      'estimate',
      'ci',
      'se',
      'stat',
      'method',
      'confidence',
      'rounds',
      'seed',
    ]);
    expect(out.estimate).toBeCloseTo(3.58, 12);
    expect(out.ci[0]).toBeLessThan(3.58);
    expect(out.ci[1]).toBeGreaterThan(3.58);
    // se of the mean ≈ s/√n = 0.4168
    expect(Math.abs(out.se - 0.4168)).toBeLessThan(0.1);
  });
  it('median / percentile and errors', async () => {
    const out = await runCliJson([
      'eval',
      'bootstrap',
      f['v.csv'],
      '--stat',
      'median',
      '--method',
      'percentile',
    ]);
    expect(out.estimate).toBeCloseTo(3.35, 12);
    const bad = await runCli(['eval', 'bootstrap', f['v.csv'], '--stat', 'mode']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stat');
  });
});
