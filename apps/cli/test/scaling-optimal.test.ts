import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith scaling optimal', () => {
  it('reproduces the Epoch allocation at C = 5.76e23 (spec §1.2: N 7.2e10, D 1.3e12, D/N ≈ 18)', async () => {
    const out = await runCliJson(['scaling', 'optimal', '--compute', '5.76e23', '--preset', 'epoch']);
    expect(out.params / 1e10).toBeCloseTo(7.2, 1);
    expect(out.tokens / 1e12).toBeCloseTo(1.3, 1);
    expect(Math.round(out.tokensPerParam)).toBe(18);
    expect(out.a).toBeCloseTo(0.513, 3);
  });

  it('reads parameters from a fit JSON and inverts a target loss', async () => {
    const fit = writeTempFiles({
      'fit.json': JSON.stringify({ params: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 } }),
    })['fit.json'];
    const forward = await runCliJson(['scaling', 'optimal', '--compute', '1e22', '--fit', fit]);
    const back = await runCliJson([
      'scaling',
      'optimal',
      '--target-loss',
      String(forward.loss),
      '--fit',
      fit,
    ]);
    expect(back.compute / 1e22).toBeCloseTo(1, 6);
    const text = await runCli(['scaling', 'optimal', '--compute', '5.76e23', '--preset', 'hoffmann']);
    expect(text.stdout).toContain('tokens/param');
  });

  it('exits 2 on a bad preset or a missing budget', async () => {
    const r1 = await runCli(['scaling', 'optimal', '--compute', '1e21', '--preset', 'gpt']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('--preset must be one of');
    const r2 = await runCli(['scaling', 'optimal']);
    expect(r2.code).toBe(2);
    const r3 = await runCli(['scaling', 'optimal', '--target-loss', '1.5']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('irreducible loss');
  });
});
