/**
 * BF16/F16 <-> F32 codec throughput, as a ratio of a plain copy of the same float32
 * bytes measured in the same run (16 Mi elements: 64 MiB of float32, 32 MiB of 16-bit).
 * Two baselines: `Float32Array.prototype.set` (a memcpy) and an element-by-element JS
 * copy loop over Uint32Array views (what any pure-JS conversion loop is up against).
 * Times are process CPU time (best of the rounds), which equals wall time on an idle machine.
 * The F16 rows run the WebAssembly SIMD kernels; the "JS" rows run the scalar fallback on the same data.
 * Run: pnpm tsx --conditions=@modelsmith/source bench/codecs.ts
 */
import { f16ToF32Scalar, f32ToF16Scalar } from '../src/codecs/f16.js';
import { bf16ToF32, createRandom, f16ToF32, f32ToBf16, f32ToF16 } from '../src/index.js';

const n = 16 * 1024 * 1024;
const repeats = 15;

const values = new Float32Array(n);
createRandom(7, 'bench', 'codecs').fillNormal(values);
const copy = new Float32Array(n);
const words = new Uint32Array(values.buffer);
const copyWords = new Uint32Array(copy.buffer);
const bf16 = f32ToBf16(values);
const f16 = f32ToF16(values);
const decoded = new Float32Array(n);

const bytes = n * 4; // every rate is in float32 bytes (the larger side of each conversion)
// Interleaved: each round times every candidate once, so load from other processes hits all alike.
const candidates: [string, () => void][] = [
  ['memcpy', () => copy.set(values)],
  [
    'JS copy loop',
    () => {
      for (let i = 0; i < n; i++) copyWords[i] = words[i]!;
    },
  ],
  ['BF16 -> F32', () => bf16ToF32(bf16, decoded)],
  ['F32 -> BF16', () => f32ToBf16(values, bf16)],
  ['F16 -> F32', () => f16ToF32(f16, decoded)],
  ['F32 -> F16', () => f32ToF16(values, f16)],
  ['F16 -> F32 (JS fallback)', () => f16ToF32Scalar(f16, decoded)],
  ['F32 -> F16 (JS fallback)', () => f32ToF16Scalar(values, f16)],
];
const fastest = new Map<string, number>();
for (let round = 0; round <= repeats; round++) {
  for (const [name, run] of candidates) {
    // CPU time of this (single) thread: on the shared build machine wall time mostly measures other jobs.
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    // Round 0 is a warm-up (JIT, page faults on the outputs).
    if (round > 0) fastest.set(name, Math.min(fastest.get(name) ?? Number.POSITIVE_INFINITY, seconds));
  }
}
const memcpy = fastest.get('memcpy')!;
const loopCopy = fastest.get('JS copy loop')!;
const rows = candidates.slice(2).map(([name]) => [name, fastest.get(name)!] as const);
const gbps = (seconds: number) => bytes / seconds / 1e9;
const lines = [
  `codecs on ${n.toLocaleString('en-US')} elements (${process.version}, ${process.arch})`,
  `baseline memcpy (Float32Array.set): ${gbps(memcpy).toFixed(2)} GB/s; JS copy loop: ${gbps(loopCopy).toFixed(2)} GB/s`,
  '| conversion | GB/s (f32 bytes) | ratio to memcpy | ratio to JS copy loop |',
  '|---|---|---|---|',
  ...rows.map(
    ([name, seconds]) =>
      `| ${name} | ${gbps(seconds).toFixed(2)} | ${(memcpy / seconds).toFixed(2)} | ${(loopCopy / seconds).toFixed(2)} |`,
  ),
  `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
