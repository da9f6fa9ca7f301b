// Benchmark: `extractAdapterFromCheckpoints` and `combineAdapters` (method svd) on 1024×1024 ΔW at
// rank 16, both of which end in a randomized truncated SVD. Time is reported as a ratio to one plain
// float64 product ΔW·Ω with Ω 1024×26 (one sketch pass, the floor of any randomized SVD), measured in
// the same run. Not part of `pnpm test`.
// Run: tsx --conditions=@modelsmith/source bench/extract-combine.ts
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import {
  combineAdapters,
  extractAdapterFromCheckpoints,
  floatTensor,
  type LoraAdapter,
  parseLoraConfig,
} from '../src/index.js';

const n = 1024;
const rank = 16;
const modulesCount = Number(process.env.MODULES ?? 4);
const repeats = Number(process.env.REPEATS ?? 3);
const root = join('/tmp', `peft-bench-linalg-${process.pid}`);
mkdirSync(root, { recursive: true });

function filler(length: number, seed: number, amplitude: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * amplitude;
  }
  return out;
}

function lowRank(seed: number, r: number): { a: Float32Array; b: Float32Array } {
  return { a: filler(r * n, seed, 0.2), b: filler(n * r, seed + 1, 0.2) };
}

function best(times: number[]): number {
  return Math.min(...times);
}

function sketchBaseline(): number {
  const a = Float64Array.from(filler(n * n, 99, 1));
  const omega = Float64Array.from(filler(n * 26, 98, 1));
  const times: number[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    const start = performance.now();
    const out = new Float64Array(n * 26);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const v = a[i * n + k]!;
        for (let j = 0; j < 26; j++) out[i * 26 + j]! += v * omega[k * 26 + j]!;
      }
    times.push(performance.now() - start);
    if (out[0] === Number.POSITIVE_INFINITY) throw new Error('unreachable');
  }
  return best(times);
}

async function main() {
  const baseTensors: Record<string, ReturnType<typeof fromFloat32>> = {};
  const tunedTensors: Record<string, ReturnType<typeof fromFloat32>> = {};
  for (let m = 0; m < modulesCount; m++) {
    const w = filler(n * n, 10 + m, 0.05);
    const { a, b } = lowRank(100 + m, rank);
    const noise = filler(n * n, 200 + m, 1e-4);
    const tuned = new Float32Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let c = 0; c < rank; c++) d += b[i * rank + c]! * a[c * n + j]!;
        tuned[i * n + j] = w[i * n + j]! + d + noise[i * n + j]!;
      }
    baseTensors[`layers.${m}.proj.weight`] = fromFloat32(w, 'F32', [n, n]);
    tunedTensors[`layers.${m}.proj.weight`] = fromFloat32(tuned, 'F32', [n, n]);
  }
  await writeSafetensorsFile(join(root, 'base.safetensors'), baseTensors);
  await writeSafetensorsFile(join(root, 'tuned.safetensors'), tunedTensors);

  const adapter = (seed: number): LoraAdapter => {
    const modules = new Map();
    for (let m = 0; m < modulesCount; m++) {
      const { a, b } = lowRank(seed + 10 * m, rank);
      modules.set(`layers.${m}.proj`, {
        kind: 'linear',
        loraA: floatTensor([rank, n], a),
        loraB: floatTensor([n, rank], b),
      });
    }
    return {
      config: parseLoraConfig({ peft_type: 'LORA', r: rank, lora_alpha: rank, target_modules: ['proj'] }),
      modules,
      savedModules: new Map(),
    };
  };
  const adapters = [adapter(1000), adapter(2000)];

  const baseline = sketchBaseline();
  const extractTimes: number[] = [];
  const combineTimes: number[] = [];
  let extractError = 0;
  let combineError = 0;
  for (let rep = 0; rep < repeats; rep++) {
    let start = performance.now();
    const extracted = await extractAdapterFromCheckpoints({
      base: join(root, 'base.safetensors'),
      tuned: join(root, 'tuned.safetensors'),
      rank,
      seed: 0,
    });
    extractTimes.push((performance.now() - start) / modulesCount);
    extractError = Math.max(...extracted.report.modules.map((m) => m.relativeError));
    start = performance.now();
    const combined = combineAdapters(adapters, {
      weights: [0.5, 0.5],
      method: 'svd',
      svdRank: rank,
      seed: 0,
    });
    combineTimes.push((performance.now() - start) / modulesCount);
    combineError = Math.max(
      ...combined.report.modules.map((m) => Math.abs(m.error - m.tailMass) / m.tailMass),
    );
  }
  const e = best(extractTimes);
  const c = best(combineTimes);
  const lines = [
    `${n}×${n} ΔW, rank ${rank}, ${modulesCount} modules, best of ${repeats}`,
    `baseline ΔW·Ω (1024×1024 · 1024×26, float64): ${baseline.toFixed(1)} ms`,
    `extract: ${e.toFixed(1)} ms/module (${(e / baseline).toFixed(1)}× baseline), max relative error ${extractError.toExponential(3)}`,
    `combine svd: ${c.toFixed(1)} ms/module (${(c / baseline).toFixed(1)}× baseline), max |error − tailMass|/tailMass ${combineError.toExponential(2)}`,
    `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  rmSync(root, { recursive: true, force: true });
}

await main();
