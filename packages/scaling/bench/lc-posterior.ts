// Benchmark: learning-curve extrapolation with the Laplace posterior vs the MCMC posterior (the baseline, same
// run), default options, on prior curves (30 of 100 epochs observed). Also scores both on the held-out last
// point. Run: pnpm --filter @modelsmith/scaling bench
import { cpus } from 'node:os';
import { extrapolateCurve } from '../src/learning-curve/extrapolate-curve.js';
import { sampleLcPrior } from '../src/learning-curve/lc-prior.js';

const count = Number(process.env.BENCH_CURVES ?? 100);
const curves = Array.from({ length: count }, (_, i) => sampleLcPrior(2024, i));
const stats = { mcmc: { ms: 0, covered: 0, width: 0 }, laplace: { ms: 0, covered: 0, width: 0 } };
const medians = { mcmc: [] as number[], laplace: [] as number[] };
let jittered = 0;
// Interleaved per curve so both methods see the same machine load (the machine is shared).
curves.forEach((curve, i) => {
  for (const posterior of ['mcmc', 'laplace'] as const) {
    const t = performance.now();
    const r = extrapolateCurve(
      { y: curve.yNoisy.slice(0, 30) },
      { horizon: 100, seed: i, quantiles: [0.05, 0.5, 0.95], posterior },
    );
    stats[posterior].ms += performance.now() - t;
    const [lo, median, hi] = r.quantiles.map((q) => q.values[0]!);
    const target = curve.yNoisy[99]!;
    if (target >= lo! && target <= hi!) stats[posterior].covered++;
    stats[posterior].width += hi! - lo!;
    medians[posterior].push(median!);
    if ((r.laplace?.jitter ?? 0) > 0) jittered++;
  }
});
const diffs = medians.laplace.map((m, i) => Math.abs(m - medians.mcmc[i]!)).sort((a, b) => a - b);
const summary = (s: { ms: number; covered: number; width: number }) => ({
  msPerCurve: s.ms / count,
  coverage90: s.covered / count,
  meanWidth90: s.width / count,
});
console.log(
  JSON.stringify(
    {
      benchmark: `LC extrapolation, ${count} prior curves, 30/100 epochs seen, default options`,
      node: process.version,
      cpu: cpus()[0]?.model,
      mcmc: summary(stats.mcmc),
      laplace: summary(stats.laplace),
      ratioLaplaceToMcmc: stats.laplace.ms / stats.mcmc.ms,
      medianAbsDiff: { mean: diffs.reduce((a, b) => a + b, 0) / count, max: diffs.at(-1) },
      laplaceJittered: jittered,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    },
    null,
    2,
  ),
);
