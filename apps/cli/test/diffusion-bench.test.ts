import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** argv of `diffusion bench` plus space-separated `flags`. */
const benchArgv = (flags: string) => ['diffusion', 'bench', ...flags.split(' ')];

describe('modelsmith diffusion bench', () => {
  it('prints the documented JSON with spec-table errors and orders (G2)', async () => {
    const { code, stdout } = await runCli(
      benchArgv('--mixture G2 --solver ddim,dpmpp-2m --steps 96,192,384 --json'),
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      results: { solver: string; steps: number; nfe: number; medianError: number; fractionAbove: number }[];
      orders: Record<string, number>;
    };
    expect(out.results).toHaveLength(6);
    expect(Object.keys(out.results[0]!).sort()).toEqual([
      'fractionAbove',
      'medianError',
      'nfe',
      'solver',
      'steps',
    ]);
    // Spec §6.5: DDIM 5.5e-3 and DPM-Solver++(2M) 4.4e-5 at 384 NFE; slopes 1.00 and 2.01.
    const at384 = (s: string) => out.results.find((r) => r.solver === s && r.steps === 384)!;
    expect(at384('ddim').medianError).toBeGreaterThan(5.5e-3 / 1.5);
    expect(at384('ddim').medianError).toBeLessThan(5.5e-3 * 1.5);
    expect(at384('dpmpp-2m').medianError).toBeGreaterThan(4.4e-5 / 1.5);
    expect(at384('dpmpp-2m').medianError).toBeLessThan(4.4e-5 * 1.5);
    expect(at384('ddim').nfe).toBe(384);
    expect(Math.abs(out.orders.ddim! - 1)).toBeLessThan(0.15);
    expect(Math.abs(out.orders['dpmpp-2m']! - 2.01)).toBeLessThan(0.15);
  });

  it('runs pndm, plms and sa-solver-ode by name with their NFE bookkeeping and orders', async () => {
    const { code, stdout } = await runCli(
      benchArgv('--mixture G2 --solver pndm,plms,sa-solver-ode --steps 96,192,384 --json'),
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      results: { solver: string; steps: number; nfe: number }[];
      orders: Record<string, number>;
    };
    for (const r of out.results) expect(r.nfe).toBe(r.steps);
    // Measured in packages/diffusion/test: PNDM 2.11 and PLMS 2.01 on the logSNR grid (equal-step AB weights),
    // SA-Solver p3/c3 at tau = 0: 2.90 (order 3). Acceptance ±0.15.
    expect(Math.abs(out.orders.pndm! - 2)).toBeLessThan(0.15);
    expect(Math.abs(out.orders.plms! - 2)).toBeLessThan(0.15);
    expect(Math.abs(out.orders['sa-solver-ode']! - 3)).toBeLessThan(0.15);
  });

  it('reads a mixture file; a one-point mixture is solved exactly by ddim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffusion-bench-'));
    writeFileSync(
      join(dir, 'mix.json'),
      JSON.stringify({ weights: [1], means: [[0.5, -0.5]], stds: [[0, 0]] }),
    );
    const { code, stdout } = await runCli(
      benchArgv('--mixture mix.json --solver ddim --steps 1,2 --points 16 --json'),
      dir,
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { results: { medianError: number }[] };
    for (const r of out.results) expect(r.medianError).toBeLessThan(1e-9);
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await runCli(benchArgv('--mixture G2 --solver euler --steps 12,24 --points 8'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/euler\s+12\s+12/);
    expect(stdout).toMatch(/fitted order/);
  });

  it('rejects unknown solvers and bad mixtures with exit code 2', async () => {
    const bad = await runCli(benchArgv('--mixture G2 --solver rk45'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown solver 'rk45'/);
    const missing = await runCli(benchArgv('--mixture nope.json --solver ddim'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read 'nope.json'/);
  });
});
