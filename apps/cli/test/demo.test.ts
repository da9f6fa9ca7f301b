import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoResults } from '../src/demo/demo-results.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from './browser.js';
import { runCli } from './run-cli.js';

// One quick demo run shared by the assertions below (about 30-60 s on 2 cores), plus a
// second run for determinism.
const TIMEOUT = 240_000;

describe('modelsmith demo --quick', () => {
  const directory = mkdtempSync(join(tmpdir(), 'modelsmith-demo-'));
  let results: DemoResults;
  let resultsText: string;

  beforeAll(async () => {
    const run = await runCli(['demo', '--quick', '--seed', '3', '-o', directory]);
    expect(run.stderr).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('report:');
    resultsText = readFileSync(join(directory, 'results.json'), 'utf8');
    results = JSON.parse(resultsText) as DemoResults;
  }, TIMEOUT);

  it('refuses to replace an existing report without --force, before doing any work', async () => {
    const run = await runCli(['demo', '--quick', '-o', directory]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('report.html already exists; pass --force');
    expect(run.stderr).not.toContain('training');
  });

  it('writes a self-contained report with every section', () => {
    const html = readFileSync(join(directory, 'report.html'), 'utf8');
    for (const id of ['accuracy', 'merges', 'calibration', 'conformal', 'scaling', 'diffusion']) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('every expert beats the base model on its own task', () => {
    const base = results.models.find((model) => model.kind === 'base')!;
    const experts = results.models.filter((model) => model.kind === 'expert' || model.kind === 'lora-expert');
    expect(experts).toHaveLength(2 * results.tasks.length);
    for (const expert of experts) {
      expect(expert.accuracy[expert.detail]!.estimate).toBeGreaterThan(
        base.accuracy[expert.detail]!.estimate,
      );
    }
  });

  it('LoRA experts train under 5% of the parameters', () => {
    for (const expert of results.models.filter((model) => model.kind === 'lora-expert')) {
      expect(expert.trainableParameters! / expert.totalParameters).toBeLessThan(0.05);
    }
  });

  it('a merge of one expert with itself reproduces the expert', () => {
    const check = results.checks.selfMerge;
    expect(check.maxAbsWeightDifference).toBeLessThan(1e-6);
    // Weights equal to float32 rounding: at most a digit or two may flip.
    expect(Math.abs(check.mergedMeanAccuracy - check.expertMeanAccuracy)).toBeLessThanOrEqual(
      2 / results.data.test,
    );
  });

  it('merges every expert with the required methods and brackets each estimate by its CI', () => {
    const methods = results.models.filter((model) => model.kind === 'merge').map((model) => model.detail);
    expect(methods).toEqual(
      expect.arrayContaining([
        'linear',
        'task_arithmetic',
        'ties',
        'dare_ties',
        'breadcrumbs',
        'pcb',
        'fisher',
      ]),
    );
    for (const model of results.models) {
      for (const interval of [...Object.values(model.accuracy), model.meanAccuracy]) {
        expect(interval.low).toBeLessThanOrEqual(interval.estimate);
        expect(interval.high).toBeGreaterThanOrEqual(interval.estimate);
      }
    }
  });

  it('adjusts McNemar p-values upwards (Holm) and never below the raw p-value', () => {
    expect(results.comparisons.rows.length).toBeGreaterThan(0);
    for (const row of results.comparisons.rows) {
      expect(row.adjustedPValue).toBeGreaterThanOrEqual(row.pValue);
      expect(row.adjustedPValue).toBeLessThanOrEqual(1);
      expect(row.table.reduce((a, b) => a + b, 0)).toBe(results.data.test * results.tasks.length);
    }
  });

  it('conformal coverage lies in the finite-sample band up to Monte-Carlo error', () => {
    const { coverage, coverageBand, calibrationSize, testSize, alpha } = results.conformal;
    // Randomized APS: E[coverage] ∈ [1−α, 1−α+1/(n+1)]. One calibration draw adds Beta noise of
    // sd √(α(1−α)/(n+2)) and the finite test set binomial noise √(α(1−α)/m): allow 4 combined sds.
    const sd = Math.sqrt((alpha * (1 - alpha)) / (calibrationSize + 2) + (alpha * (1 - alpha)) / testSize);
    expect(coverage).toBeGreaterThan(coverageBand[0] - 4 * sd);
    expect(coverage).toBeLessThan(coverageBand[1] + 4 * sd);
    expect(results.conformal.setSizeHistogram.reduce((a, b) => a + b, 0)).toBe(testSize);
  });

  it('the scaling fit decreases with data and its band brackets the prediction', () => {
    const { parameters, extrapolation } = results.scaling;
    expect(parameters.beta).toBeGreaterThan(0);
    for (let i = 1; i < extrapolation.length; i++) {
      expect(extrapolation[i]!.prediction).toBeLessThan(extrapolation[i - 1]!.prediction);
    }
    for (const point of extrapolation) {
      expect(point.low).toBeLessThanOrEqual(point.prediction * 1.000001);
      expect(point.high).toBeGreaterThanOrEqual(point.prediction * 0.999999);
    }
  });

  it('the diffusion comparison shows DPM-Solver++(2M) ahead of DDIM at equal NFE', () => {
    const at = (solver: string) => results.diffusion.results.filter((row) => row.solver === solver);
    const ddim = at('ddim');
    const dpm = at('dpmpp-2m');
    expect(ddim.length).toBeGreaterThan(1);
    ddim.forEach((row, i) => {
      expect(dpm[i]!.medianError).toBeLessThan(row.medianError);
    });
    expect(results.diffusion.orders['dpmpp-2m']!).toBeGreaterThan(results.diffusion.orders.ddim!);
  });

  it.skipIf(!chromiumAvailable())(
    'renders every chart in headless Chromium with no console errors (skipped only when Chromium is absent outside CI)',
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`file://${join(directory, 'report.html')}`);
        const charts = await page.$$eval('figure.chart', (figures) =>
          figures.map((figure) => {
            const svg = figure.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            return {
              width: box?.width ?? 0,
              height: box?.height ?? 0,
              marks: svg?.querySelectorAll('.series').length ?? 0,
            };
          }),
        );
        expect(charts.length).toBe(7);
        for (const chart of charts) {
          expect(chart.width).toBeGreaterThan(100);
          expect(chart.height).toBeGreaterThan(100);
          expect(chart.marks).toBeGreaterThan(0);
        }
        await page.screenshot({ path: join(directory, 'report.png'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it(
    'is deterministic: a second run with the same seed, in a fresh process, writes identical results.json',
    async () => {
      // A separate process: state that lives per process (tfjs's own random initializers did)
      // would pass an in-process comparison and still differ between runs.
      const again = mkdtempSync(join(tmpdir(), 'modelsmith-demo-again-'));
      const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
      await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          '--conditions=@modelsmith/source',
          bin,
          'demo',
          '--quick',
          '--seed',
          '3',
          '-o',
          again,
        ],
        { cwd: fileURLToPath(new URL('..', import.meta.url)) },
      );
      expect(readFileSync(join(again, 'results.json'), 'utf8')).toBe(resultsText);
    },
    TIMEOUT,
  );
});
