import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

const csv = fileURLToPath(new URL('./fixtures/scaling/chinchilla.csv', import.meta.url));
// The Chinchilla fixture with tokens = FLOP/(6N) and the 5 highest losses dropped (as in the spec).
const chinchilla = (...flags: string[]) => [
  'scaling',
  'fit',
  csv,
  '--flops-col',
  'Training FLOP',
  '--drop-highest-loss',
  '5',
  ...flags,
];

describe('modelsmith scaling fit', () => {
  it('fits the Chinchilla data with tokens = C/(6N) and prints the documented JSON', async () => {
    const out = await runCliJson(
      chinchilla('--params-col', 'Model Size', '--starts', '300', '--seed', '1', '--bootstrap', '20'),
    );
    // Spec §1.4 reference fit: E 1.8172, alpha 0.3473, beta 0.3672, A 477.8, B 2143, objective 1.01827e-3.
    expect(out.params.E).toBeCloseTo(1.8172, 3);
    expect(out.params.alpha).toBeCloseTo(0.3473, 3);
    expect(out.params.beta).toBeCloseTo(0.3672, 3);
    expect(out.params.A / 478).toBeCloseTo(1, 1);
    expect(out.params.B / 2143).toBeCloseTo(1, 1);
    expect(out.objective / 1.01827e-3).toBeCloseTo(1, 3);
    expect(out.starts).toBe(300);
    expect(out.startsAtBest).toBeGreaterThan(1);
    expect(out.pointsUsed).toBe(240);
    expect(out.ci.alpha[0]).toBeLessThan(out.params.alpha);
    expect(out.ci.alpha[1]).toBeGreaterThan(out.params.alpha);
    expect(out.ci.resamples).toBe(20);
  }, 60_000);

  it('writes plot data next to the fit and refuses to overwrite it without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scaling-plot-'));
    const plotPath = join(dir, 'plot.json');
    const args = chinchilla('--starts', '30');
    const r = await runCli([...args, '--plot-data', plotPath, '--json']);
    expect(r.code).toBe(0);
    const plot = JSON.parse(readFileSync(plotPath, 'utf8'));
    expect(plot.points).toHaveLength(245);
    expect(plot.points.filter((p: { used: boolean }) => !p.used)).toHaveLength(5);
    expect(plot.slices.length).toBeGreaterThan(0);
    expect(plot.frontier.compute.length).toBe(plot.frontier.loss.length);
    const again = await runCli([...args, '--plot-data', plotPath]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
  });

  it('fits the Kaplan L(N, D) law with --law kaplan', async () => {
    const rows = ['params,tokens,loss'];
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        const n = 10 ** (6 + i * 0.6);
        const d = 10 ** (7 + j * 0.8);
        rows.push(`${n},${d},${((6.4e13 / n) ** (0.076 / 0.103) + 1.8e13 / d) ** 0.103}`);
      }
    const path = writeTempFiles({ 'runs.csv': `${rows.join('\n')}\n` })['runs.csv'];
    const out = await runCliJson(['scaling', 'fit', path, '--law', 'kaplan']);
    expect(out.params.alphaN).toBeCloseTo(0.076, 3);
    expect(out.params.alphaD).toBeCloseTo(0.103, 3);
  });

  it('reproduces Epoch’s Huber-likelihood estimate with --estimator huber-likelihood', async () => {
    const out = await runCliJson(chinchilla('--estimator', 'huber-likelihood'));
    // Epoch notebook: A 482.006, B 2085.434 (spec §1.3).
    expect(out.params.A).toBeCloseTo(482.006, 0);
    expect(out.params.B / 2085.434).toBeCloseTo(1, 3);
  });

  it('reports hold-out-largest and leave-one-out errors', async () => {
    const out = await runCliJson(
      chinchilla('--starts', '100', '--seed', '1', '--holdout-largest', '10', '--leave-one-out'),
    );
    expect(out.holdout.count).toBe(10);
    expect(out.holdout.heldOut).toHaveLength(10);
    // Relative errors are recomputed from the reported values.
    for (const h of out.holdout.heldOut)
      expect(h.relativeError).toBeCloseTo((h.predicted - h.loss) / h.loss, 12);
    expect(out.holdout.meanAbsoluteRelativeError).toBeLessThan(0.05);
    expect(out.leaveOneOut.jackknifeSe.alpha).toBeGreaterThan(0);
  }, 60_000);

  it('prints a readable summary without --json', async () => {
    const result = await runCli(['scaling', 'fit', csv, '--flops-col', 'Training FLOP', '--starts', '20']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Chinchilla fit on 245 runs');
    expect(result.stdout).toMatch(/starts at best \d+\/20/);
  });

  it('exits 2 with one line for a non-positive loss or a missing column', async () => {
    const f = writeTempFiles(
      {
        'runs.csv':
          'params,tokens,loss\n1e8,1e9,3\n2e8,2e9,2.9\n4e8,4e9,0\n8e8,8e9,2.7\n1e9,1e10,2.6\n2e9,2e10,2.5\n',
        'few.csv': 'params,tokens,loss\n1e8,1e9,3\n2e8,2e9,2.9\n',
      },
      'scaling-fit-',
    );
    const bad = f['runs.csv'];
    const r1 = await runCli(['scaling', 'fit', bad, '--starts', '3']);
    expect(r1.code).toBe(2);
    expect(r1.stderr.trim().split('\n')).toHaveLength(1);
    expect(r1.stderr).toContain('loss[2] = 0 must be finite and > 0');
    const r2 = await runCli(['scaling', 'fit', bad, '--tokens-col', 'D']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("no column 'D'");
    const r3 = await runCli(['scaling', 'fit', f['few.csv']]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('at least 5 runs');
  });
});
