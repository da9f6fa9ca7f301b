// Benchmarks for the README (not part of `pnpm test`). Run: pnpm bench  (or tsx --conditions=@modelsmith/source
// bench/eval-bench.ts passk|pl|calibration). Each case runs in its own process so peak RSS is per case.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@modelsmith/core-tensor';
import {
  calibrationTests,
  debiasedEce,
  ece,
  fitBradleyTerry,
  fitPlackettLuce,
  meanScores,
  passAtKDataset,
  rankingsFromScores,
  toPairwise,
} from '../src/index.js';

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const peakMiB = () => process.resourceUsage().maxRSS / 1024;

function passk(): void {
  const tasks = 100_000;
  const samples = 1000;
  const rng = createRandom(1, 'bench', 'passk');
  // Raw per-sample outcomes (10^8 bytes); per-task difficulty p ~ U(0,1)^3 (most tasks hard).
  const outcomes = new Uint8Array(tasks * samples);
  for (let t = 0; t < tasks; t++) {
    const p = rng.uniform(t) ** 3;
    for (let s = 0; s < samples; s++)
      outcomes[t * samples + s] = rng.uniform(tasks + t * samples + s) < p ? 1 : 0;
  }
  // Baseline: one pass over the raw outcomes counting correct samples per task.
  const baseline = time(() => {
    const counts = new Array<{ n: number; c: number }>(tasks);
    for (let t = 0; t < tasks; t++) {
      let c = 0;
      for (let s = 0; s < samples; s++) c += outcomes[t * samples + s]!;
      counts[t] = { n: samples, c };
    }
    return counts;
  });
  const ks = [1, 10, 100, 1000];
  const run = time(() => passAtKDataset(baseline.value, ks));
  console.log(
    JSON.stringify({
      case: `pass@k, ${tasks} tasks × ${samples} samples, k=${ks.join(',')}`,
      passAtKMs: Math.round(run.ms),
      baselineCountMs: Math.round(baseline.ms),
      ratio: Number((run.ms / baseline.ms).toFixed(2)),
      peakRssMiB: Math.round(peakMiB()),
      passAt: run.value.passAtK,
    }),
  );
}

function pl(): void {
  const models = 50;
  const samples = 100_000;
  const missing = 0.9;
  const rng = createRandom(2, 'bench', 'pl');
  const truth = Array.from({ length: models }, (_, i) => 2 - (4 * i) / (models - 1));
  const scores = Array.from({ length: models }, () => new Float64Array(samples));
  let d = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < models; i++) {
      // Binary correctness with a logistic link: heterogeneous, tie-heavy per-sample data like ONEBench.
      const measured = rng.uniform(d++) >= missing;
      const p = 1 / (1 + Math.exp(-(truth[i]! + 0.5)));
      scores[i]![s] = measured ? (rng.uniform(d++) < p ? 1 : 0) : Number.NaN;
    }
  }
  const baseline = time(() => meanScores(scores));
  const build = time(() => rankingsFromScores(scores));
  const fit = time(() => fitPlackettLuce(build.value, models, { tolerance: 1e-8 }));
  const bt = time(() => fitBradleyTerry(toPairwise(scores), { tolerance: 1e-8 }));
  const order = fit.value.logStrengths
    .map((_, i) => i)
    .sort((a, b) => fit.value.logStrengths[b]! - fit.value.logStrengths[a]!);
  let inversions = 0;
  for (let i = 1; i < models; i++) if (order[i]! < order[i - 1]!) inversions++;
  console.log(
    JSON.stringify({
      case: `Plackett–Luce MM, ${models} models × ${samples} samples, ${missing * 100}% missing`,
      rankingsMs: Math.round(build.ms),
      fitMs: Math.round(fit.ms),
      iterations: fit.value.iterations,
      converged: fit.value.converged,
      baselineMeanScoresMs: Math.round(baseline.ms),
      ratio: Number(((build.ms + fit.ms) / baseline.ms).toFixed(1)),
      bradleyTerryPairwiseMs: Math.round(bt.ms),
      adjacentInversionsVsTruth: inversions,
      peakRssMiB: Math.round(peakMiB()),
    }),
  );
}

function calibration(): void {
  const n = 1_000_000;
  const rng = createRandom(3, 'bench', 'calibration');
  const confidence = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    confidence[i] = rng.uniform(2 * i);
    correct[i] = rng.uniform(2 * i + 1) < confidence[i]! ? 1 : 0;
  }
  // Baseline: a plain numeric sort of the confidences (the tests' dominant cost is one sort).
  const baseline = time(() => Float64Array.from(confidence).sort());
  const tests = time(() => calibrationTests(confidence, correct));
  const debiased = time(() => debiasedEce(confidence, correct));
  const plain = time(() => ece(confidence, correct, { bins: 15, strategy: 'quantile' }));
  console.log(
    JSON.stringify({
      case: `calibration tests (KS, Kuiper, Spiegelhalter) + debiased ECE, n = ${n}`,
      calibrationTestsMs: Math.round(tests.ms),
      debiasedEceMs: Math.round(debiased.ms),
      quantileEceMs: Math.round(plain.ms),
      baselineSortMs: Math.round(baseline.ms),
      ratioTests: Number((tests.ms / baseline.ms).toFixed(1)),
      ratioDebiased: Number((debiased.ms / baseline.ms).toFixed(1)),
      ksP: tests.value.ks!.pValue,
      peakRssMiB: Math.round(peakMiB()),
    }),
  );
}

const which = process.argv[2];
if (which === 'passk') passk();
else if (which === 'pl') pl();
else if (which === 'calibration') calibration();
else {
  const self = fileURLToPath(import.meta.url);
  for (const name of ['passk', 'pl', 'calibration']) {
    process.stdout.write(
      execFileSync(process.execPath, [...process.execArgv, self, name], { encoding: 'utf8' }),
    );
  }
}
