// Benchmark: `peft apply` throughput on a ≥ 1 GB base checkpoint, as a ratio to reading and writing the
// same bytes with core-tensor's checkpoint reader/writer (the physical floor). Not part of `pnpm test`.
// Run: pnpm --filter @modelsmith/peft bench   (or tsx --conditions=@modelsmith/source bench/apply-throughput.ts)
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckpointWriter, fromFloat32, openCheckpoint } from '@modelsmith/core-tensor';
import { applyAdapterToCheckpoint, floatTensor, parseLoraConfig, saveAdapter } from '../src/index.js';

const root = join('/tmp', `peft-bench-${process.pid}`);
const layers = Number(process.env.LAYERS ?? 10);
const d = 2048;
const ff = 5632;
const rank = 16;
mkdirSync(root, { recursive: true });

function filler(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.05;
  }
  return out;
}

async function main() {
  // A Llama-shaped BF16 checkpoint: per layer q,k,v,o [d,d] + gate,up [ff,d] + down [d,ff] + norms.
  const specs: { name: string; dtype: 'BF16'; shape: number[] }[] = [];
  for (let l = 0; l < layers; l++) {
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'o_proj'])
      specs.push({ name: `model.layers.${l}.self_attn.${p}.weight`, dtype: 'BF16', shape: [d, d] });
    specs.push({ name: `model.layers.${l}.mlp.gate_proj.weight`, dtype: 'BF16', shape: [ff, d] });
    specs.push({ name: `model.layers.${l}.mlp.up_proj.weight`, dtype: 'BF16', shape: [ff, d] });
    specs.push({ name: `model.layers.${l}.mlp.down_proj.weight`, dtype: 'BF16', shape: [d, ff] });
    specs.push({ name: `model.layers.${l}.input_layernorm.weight`, dtype: 'BF16', shape: [d] });
  }
  const baseDir = join(root, 'base');
  const writer = await createCheckpointWriter({ directory: baseDir, specs, maxShardBytes: 2e9 });
  let seed = 1;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    await writer.write(spec.name, fromFloat32(filler(n, seed++), 'BF16', spec.shape));
  }
  const { totalSize } = await writer.finish();
  process.stdout.write(`base checkpoint: ${(totalSize / 1e9).toFixed(2)} GB, ${specs.length} tensors\n`);

  // Adapter: r=16 on q_proj and v_proj of every layer.
  const modules = new Map();
  for (let l = 0; l < layers; l++) {
    for (const p of ['q_proj', 'v_proj']) {
      modules.set(`model.layers.${l}.self_attn.${p}`, {
        kind: 'linear',
        loraA: floatTensor([rank, d], filler(rank * d, seed++)),
        loraB: floatTensor([d, rank], filler(d * rank, seed++)),
      });
    }
  }
  const adapterDir = join(root, 'adapter');
  await saveAdapter(adapterDir, {
    config: parseLoraConfig({
      peft_type: 'LORA',
      r: rank,
      lora_alpha: 32,
      target_modules: ['q_proj', 'v_proj'],
    }),
    modules,
    savedModules: new Map(),
  });

  // Baseline: read every tensor and write it out again (same reader, writer and shard plan).
  const t0 = performance.now();
  const base = await openCheckpoint(baseDir);
  const copy = await createCheckpointWriter({
    directory: join(root, 'copy'),
    specs: base.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
  });
  for (const info of base.tensors) await copy.write(info.name, await base.read(info.name));
  await copy.finish();
  await base.close();
  const copySeconds = (performance.now() - t0) / 1000;
  rmSync(join(root, 'copy'), { recursive: true, force: true });

  const t1 = performance.now();
  const result = await applyAdapterToCheckpoint({
    base: baseDir,
    adapter: adapterDir,
    output: join(root, 'merged'),
  });
  const applySeconds = (performance.now() - t1) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `read+write baseline ${copySeconds.toFixed(2)} s (${(totalSize / 1e6 / copySeconds).toFixed(0)} MB/s); ` +
      `peft apply ${applySeconds.toFixed(2)} s (${(totalSize / 1e6 / applySeconds).toFixed(0)} MB/s), merged ${result.merged.length} weights; ` +
      `ratio apply/baseline ${(applySeconds / copySeconds).toFixed(2)}; peak RSS ${rssMb.toFixed(0)} MB\n`,
  );
  rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
  rmSync(root, { recursive: true, force: true });
  throw error;
});
