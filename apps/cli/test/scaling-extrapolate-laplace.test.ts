import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith scaling extrapolate --posterior laplace', () => {
  // accuracy(x) = 0.8 − 0.5·x^−0.7 plus ±0.01 deterministic jitter, observed for 25 epochs.
  const rows = Array.from(
    { length: 25 },
    (_, i) => `${i + 1},${0.8 - 0.5 * (i + 1) ** -0.7 + 0.01 * Math.sin(7 * i)}`,
  );
  const csv = writeTempFiles({ 'curve.csv': `epoch,accuracy\n${rows.join('\n')}\n` })['curve.csv'];

  it('prints the documented JSON with the Laplace fields and a 90% interval around the truth', async () => {
    const argv = ['scaling', 'extrapolate', csv, '--to', '100', '--posterior', 'laplace', '--draws', '2000'];
    const out = await runCliJson([...argv, '--at', '50']);
    const truth = 0.8 - 0.5 * 100 ** -0.7;
    expect(out.posterior).toBe('laplace');
    expect(out.at).toEqual([50, 100]);
    expect(out.quantiles['0.05'][1]).toBeLessThan(truth);
    expect(out.quantiles['0.95'][1]).toBeGreaterThan(truth);
    // Looser than the MCMC test's 0.05: the Gaussian in the unconstrained coordinates leaves the curved
    // high-likelihood ridge of this 13-parameter mixture, so Laplace is wider and its median drifts (seed 0:
    // median 0.725, 90% [0.53, 0.90] vs MCMC 0.781, [0.758, 0.807]; truth 0.780).
    expect(Math.abs(out.quantiles['0.5'][1] - truth)).toBeLessThan(0.1);
    expect(out.laplace.jitter).toBeGreaterThanOrEqual(0);
    expect(out.acceptanceRate).toBeGreaterThan(0);
    expect(Object.keys(out.map)).toHaveLength(13);
    // Same seed → same output.
    expect(await runCliJson([...argv, '--at', '50'])).toEqual(out);
  }, 30_000);

  it('prints a text summary and exits 2 on a bad --posterior or --draws', async () => {
    const text = await runCli(['scaling', 'extrapolate', csv, '--to', '100', '--posterior', 'laplace']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Laplace: Hessian jitter');
    const bad = await runCli(['scaling', 'extrapolate', csv, '--to', '100', '--posterior', 'nuts']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--posterior');
    const zero = await runCli([
      'scaling',
      'extrapolate',
      csv,
      '--to',
      '100',
      '--posterior',
      'laplace',
      '--draws',
      '0',
    ]);
    expect(zero.code).toBe(2);
  }, 30_000);
});
