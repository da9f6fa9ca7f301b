import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith scaling extrapolate', () => {
  // accuracy(x) = 0.8 − 0.5·x^−0.7 plus ±0.01 deterministic jitter, observed for 25 epochs.
  const rows = Array.from(
    { length: 25 },
    (_, i) => `${i + 1},${0.8 - 0.5 * (i + 1) ** -0.7 + 0.01 * Math.sin(7 * i)}`,
  );
  const csv = writeTempFiles({ 'curve.csv': `epoch,accuracy\n${rows.join('\n')}\n` })['curve.csv'];

  it('predicts the horizon value inside its 90% interval and prints the documented JSON', async () => {
    const out = await runCliJson(['scaling', 'extrapolate', csv, '--to', '100', '--best', '0.9']);
    const truth = 0.8 - 0.5 * 100 ** -0.7;
    expect(out.at).toEqual([100]);
    expect(out.quantiles['0.05'][0]).toBeLessThan(truth);
    expect(out.quantiles['0.95'][0]).toBeGreaterThan(truth);
    expect(Math.abs(out.quantiles['0.5'][0] - truth)).toBeLessThan(0.05);
    // 0.9 is far above the curve's plateau: stop.
    expect(out.earlyStopping.stop).toBe(true);
  }, 30_000);

  it('exits 2 without --to or with a bad column', async () => {
    expect((await runCli(['scaling', 'extrapolate', csv])).code).toBe(2);
    const r = await runCli(['scaling', 'extrapolate', csv, '--to', '100', '--y-col', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no column 'nope'");
  });
});
