import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';

describe('modelsmith scaling hparams', () => {
  it('prints the Step Law values worked by hand', async () => {
    const out = await runCliJson(['scaling', 'hparams', '--params', '1e9', '--tokens', '1e11']);
    // 1.79·1e9^−0.713·1e11^0.307 = 1.6325e-3 and 0.58·1e11^0.571 = 1.10771e6 (Python).
    expect(out.learningRate).toBeCloseTo(1.632499e-3, 8);
    expect(out.batchTokens / 1.1077149e6).toBeCloseTo(1, 6);
    const text = await runCli(['scaling', 'hparams', '--params', '1e9', '--tokens', '1e11']);
    expect(text.stdout).toContain('learning rate');
  });

  it('exits 2 on missing or non-positive sizes', async () => {
    expect((await runCli(['scaling', 'hparams', '--params', '1e9'])).code).toBe(2);
    const r = await runCli(['scaling', 'hparams', '--params', '-5', '--tokens', '1e9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('params');
  });
});
