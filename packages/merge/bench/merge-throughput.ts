/**
 * Throughput and peak-RSS benchmark of `mergeCheckpoints` (never part of `pnpm test`).
 *
 * Generates base + 3 fine-tunes of ≥ 1 GB each in BF16 under /tmp, then, each in its own child
 * process so peak RSS is per run: a plain "read every input tensor, write an output tensor" copy of
 * the same bytes (the baseline), and linear, ties (density 0.5) and dare_ties merges. Reports
 * throughput as (bytes read + written)/s relative to the baseline, and peak RSS against the bound
 * 3 × (inputs + 1) × largest tensor in F32 + 256 MB.
 *
 * Run: pnpm --filter @modelsmith/merge bench   (or: tsx --conditions=@modelsmith/source bench/merge-throughput.ts)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpointWriter, openCheckpoint } from '@modelsmith/core-tensor';
import { mergeCheckpoints, parseMergeConfig } from '../src/index.js';

const ROOT = process.env.MERGE_BENCH_DIR ?? '/tmp/modelsmith-merge-bench';
const ROWS = 4096;
const COLS = 4096;
const TENSORS = Number(process.env.MERGE_BENCH_TENSORS ?? 32); // 32 × 4096² × 2 B = 1.07 GB per model
const MODELS = ['base', 'ft-1', 'ft-2', 'ft-3'];

async function generate(): Promise<void> {
  const marker = join(ROOT, `.generated-${TENSORS}`);
  if (existsSync(marker)) return;
  rmSync(ROOT, { recursive: true, force: true });
  const specs = Array.from({ length: TENSORS }, (_, i) => ({
    name: `model.layers.${i}.mlp.weight`,
    dtype: 'BF16' as const,
    shape: [ROWS, COLS],
  }));
  const f32 = new Float32Array(ROWS * COLS);
  const u32 = new Uint32Array(f32.buffer);
  for (const [m, name] of MODELS.entries()) {
    const writer = await createCheckpointWriter({ directory: join(ROOT, name), specs, maxShardBytes: 2e9 });
    for (let t = 0; t < TENSORS; t++) {
      // base: uniform(−1, 1); fine-tunes: base + 0.05 · uniform(−1, 1) — xorshift, cheap and reproducible.
      let sBase = (t + 1) * 2654435761;
      let sDelta = (t + 1) * 40503 + m * 7919;
      for (let i = 0; i < f32.length; i++) {
        sBase ^= sBase << 13;
        sBase ^= sBase >>> 17;
        sBase ^= sBase << 5;
        let v = (sBase >>> 0) / 2147483648 - 1;
        if (m > 0) {
          sDelta ^= sDelta << 13;
          sDelta ^= sDelta >>> 17;
          sDelta ^= sDelta << 5;
          v += 0.05 * ((sDelta >>> 0) / 2147483648 - 1);
        }
        f32[i] = v;
      }
      const bits = new Uint16Array(f32.length);
      for (let i = 0; i < f32.length; i++) bits[i] = u32[i]! >>> 16; // truncation is fine for synthetic data
      await writer.write(specs[t]!.name, { dtype: 'BF16', shape: [ROWS, COLS], data: bits });
    }
    await writer.finish();
  }
  writeFileSync(marker, '');
}

const RECIPES: Record<string, string> = {
  linear: `merge_method: linear
models:
  - {model: ft-1, parameters: {weight: 1}}
  - {model: ft-2, parameters: {weight: 1}}
  - {model: ft-3, parameters: {weight: 1}}
`,
  ties: `merge_method: ties
base_model: base
models:
  - {model: ft-1, parameters: {weight: 1, density: 0.5}}
  - {model: ft-2, parameters: {weight: 1, density: 0.5}}
  - {model: ft-3, parameters: {weight: 1, density: 0.5}}
`,
  dare_ties: `merge_method: dare_ties
base_model: base
models:
  - {model: ft-1, parameters: {weight: 1, density: 0.5}}
  - {model: ft-2, parameters: {weight: 1, density: 0.5}}
  - {model: ft-3, parameters: {weight: 1, density: 0.5}}
`,
};

/** Child: one run; prints a JSON line {seconds, bytes, maxRssMB}. */
async function child(kind: string): Promise<void> {
  const output = join(ROOT, `out-${kind}`);
  rmSync(output, { recursive: true, force: true });
  const start = performance.now();
  let bytes = 0;
  if (kind === 'baseline') {
    const inputs = await Promise.all(MODELS.map((m) => openCheckpoint(join(ROOT, m))));
    const specs = inputs[0]!.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape }));
    const writer = await createCheckpointWriter({ directory: output, specs });
    for (const info of inputs[0]!.tensors) {
      const read = await Promise.all(inputs.map((c) => c.read(info.name)));
      bytes += read.length * info.byteLength + info.byteLength;
      await writer.write(info.name, read[0]!);
    }
    await writer.finish();
    await Promise.all(inputs.map((c) => c.close()));
  } else {
    const result = await mergeCheckpoints(parseMergeConfig(RECIPES[kind]!, { baseDirectory: ROOT }), {
      outputDirectory: output,
      seed: 1,
    });
    bytes = result.plan.readBytes + result.plan.writeBytes;
  }
  const seconds = (performance.now() - start) / 1000;
  rmSync(output, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({ seconds, bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind) return child(kind);
  mkdirSync(ROOT, { recursive: true });
  await generate();
  if (process.env.MERGE_BENCH_GENERATE_ONLY) return;
  const self = fileURLToPath(import.meta.url);
  const run = (k: string) => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@modelsmith/source', self, k],
      { encoding: 'utf8' },
    );
    return JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; bytes: number; maxRssMB: number };
  };
  run('baseline'); // warm the page cache so every run reads from the same state
  const largestF32MB = (ROWS * COLS * 4) / 2 ** 20;
  // The build machine is shared, so the load drifts: each merge is bracketed by two baseline runs and
  // compared with their mean, and the whole sequence runs ROUNDS times; the table gives the median.
  const rounds = Number(process.env.MERGE_BENCH_ROUNDS ?? 3);
  const results = new Map<string, { seconds: number; ratio: number; rss: number; baseline: number }[]>();
  for (let round = 0; round < rounds; round++) {
    let before = run('baseline');
    for (const kind of Object.keys(RECIPES)) {
      const r = run(kind);
      const after = run('baseline');
      const baseRate = (before.bytes / before.seconds + after.bytes / after.seconds) / 2;
      const entry = {
        seconds: r.seconds,
        ratio: r.bytes / r.seconds / baseRate,
        rss: r.maxRssMB,
        baseline: baseRate,
      };
      results.set(kind, [...(results.get(kind) ?? []), entry]);
      before = after;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const print = (row: string) => process.stdout.write(`${row}\n`);
  print(
    `| run | inputs | GB read+written | seconds (median of ${rounds}) | baseline GB/s (median) | ratio to baseline: median (min–max) | peak RSS MB (max) | bound MB |`,
  );
  print('|---|---|---|---|---|---|---|---|');
  for (const [kind, entries] of results) {
    const inputs = kind === 'linear' ? 3 : 4;
    const bytes = (inputs + 1) * TENSORS * ROWS * COLS * 2;
    const ratios = entries.map((e) => e.ratio);
    print(
      `| ${kind} | ${inputs} | ${(bytes / 1e9).toFixed(2)} | ${median(entries.map((e) => e.seconds)).toFixed(1)} | ${(median(entries.map((e) => e.baseline)) / 1e9).toFixed(2)} | **${median(ratios).toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${Math.max(...entries.map((e) => e.rss)).toFixed(0)} | ${(3 * (inputs + 1) * largestF32MB + 256).toFixed(0)} |`,
    );
  }
}

await main();
