/**
 * Kernel benchmarks on 10^7 float32 values. Baseline (same data, same run):
 * `Float32Array.prototype.sort` for selection, a plain `Float32Array.prototype.set` copy for the
 * streaming kernels. Run: pnpm tsx --conditions=@modelsmith/source bench/kernels.ts
 */
import { axpy, createRandom, dot, l2Norm, quantile, quickselect, topKMagnitudeMask } from '../src/index.js';

const n = 10_000_000;
const repeats = 3;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median seconds of `repeats` runs; `setup` (untimed) runs before each. */
function time(run: () => void, setup: () => void = () => {}): number {
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    setup();
    const start = performance.now();
    run();
    samples.push((performance.now() - start) / 1000);
  }
  return median(samples);
}

const x = new Float32Array(n);
createRandom(1, 'bench', 'x').fillNormal(x);
const y = new Float32Array(n);
createRandom(1, 'bench', 'y').fillNormal(y);
const scratch = new Float32Array(n);

const sortSeconds = time(
  () => scratch.sort(),
  () => scratch.set(x),
);
const copySeconds = time(() => scratch.set(x));

const rows: [string, number, number, string][] = [];
const vsSort = (name: string, run: () => void) => {
  const s = time(run);
  rows.push([name, s, s / sortSeconds, 'sort']);
};
const vsCopy = (name: string, run: () => void) => {
  const s = time(run);
  rows.push([name, s, s / copySeconds, 'copy']);
};

vsSort('topKMagnitudeMask k = 10%', () => topKMagnitudeMask(x, n / 10));
vsSort('topKMagnitudeMask k = 1%', () => topKMagnitudeMask(x, n / 100));
vsSort('quantile q = 0.9 (linear)', () => quantile(x, 0.9));
vsSort('quantile q = 0.5 (nearest)', () => quantile(x, 0.5, 'nearest'));
vsSort('quickselect k = n/2', () => quickselect(x, n / 2));
vsCopy('dot', () => dot(x, y));
vsCopy('l2Norm', () => l2Norm(x));
vsCopy('axpy', () => axpy(scratch, 0.5, y));

const lines = [
  `n = ${n} float32, median of ${repeats}; Float32Array sort ${sortSeconds.toFixed(3)} s, copy ${(copySeconds * 1000).toFixed(1)} ms`,
  '',
  '| kernel | seconds | ratio to baseline |',
  '| --- | --- | --- |',
  ...rows.map(
    ([name, s, ratio, baseline]) => `| ${name} | ${s.toFixed(4)} | ${ratio.toFixed(3)} × ${baseline} |`,
  ),
  '',
  `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
