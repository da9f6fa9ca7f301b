import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fromFloat32,
  openCheckpoint,
  tensorBytes,
  toFloat32,
  writeSafetensorsFile,
} from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  applyAdapterToCheckpoint,
  extractAdapterFromCheckpoints,
  floatTensor,
  type LoraAdapter,
  loadAdapter,
  parseLoraConfig,
  saveAdapter,
} from '../src/index.js';
import { lcg, maxAbsDiff } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'peft-ckpt-'));

async function writeBase(dir: string) {
  const path = join(dir, 'model.safetensors');
  await writeSafetensorsFile(path, {
    'layers.0.q_proj.weight': fromFloat32(lcg(8 * 6, 1), 'F32', [8, 6]),
    'layers.0.q_proj.bias': fromFloat32(lcg(8, 2), 'F32', [8]),
    'layers.0.v_proj.weight': fromFloat32(lcg(4 * 6, 3), 'BF16', [4, 6]),
    'norm.weight': fromFloat32(lcg(6, 4), 'BF16', [6]),
  });
  return path;
}

function adapter(): LoraAdapter {
  const config = parseLoraConfig({
    peft_type: 'LORA',
    r: 2,
    lora_alpha: 6,
    target_modules: ['q_proj', 'v_proj'],
    rank_pattern: { v_proj: 1 },
  });
  return {
    config,
    modules: new Map([
      [
        'layers.0.q_proj',
        {
          kind: 'linear' as const,
          loraA: floatTensor([2, 6], lcg(12, 5)),
          loraB: floatTensor([8, 2], lcg(16, 6)),
        },
      ],
      [
        'layers.0.v_proj',
        {
          kind: 'linear' as const,
          loraA: floatTensor([1, 6], lcg(6, 7)),
          loraB: floatTensor([4, 1], lcg(4, 8)),
        },
      ],
    ]),
    savedModules: new Map(),
  };
}

/** W + s·B·A by a direct triple loop (independent of loraDeltaWeight). */
function merged(
  w: Float32Array,
  a: Float32Array,
  b: Float32Array,
  out: number,
  r: number,
  inDim: number,
  s: number,
): Float64Array {
  const result = new Float64Array(w.length);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inDim; i++) {
      let d = 0;
      for (let k = 0; k < r; k++) d += b[o * r + k]! * a[k * inDim + i]!;
      result[o * inDim + i] = w[o * inDim + i]! + s * d;
    }
  return result;
}

describe('applyAdapterToCheckpoint', () => {
  it('merges targeted weights and copies every other tensor bit for bit', async () => {
    const dir = tmp();
    const basePath = await writeBase(dir);
    const adapterDir = join(dir, 'adapter');
    await saveAdapter(adapterDir, adapter());
    const output = join(dir, 'out');
    const result = await applyAdapterToCheckpoint({
      base: basePath,
      adapter: adapterDir,
      output,
      scale: 0.5,
    });
    expect(result.merged.sort()).toEqual(['layers.0.q_proj.weight', 'layers.0.v_proj.weight']);
    expect(result.copied).toBe(2);
    const base = await openCheckpoint(basePath);
    const out = await openCheckpoint(output);
    for (const name of ['layers.0.q_proj.bias', 'norm.weight']) {
      expect(
        Buffer.from(tensorBytes(await out.read(name))).equals(
          Buffer.from(tensorBytes(await base.read(name))),
        ),
      ).toBe(true);
    }
    const q = toFloat32(await out.read('layers.0.q_proj.weight'));
    const wantQ = merged(
      toFloat32(await base.read('layers.0.q_proj.weight')),
      lcg(12, 5),
      lcg(16, 6),
      8,
      2,
      6,
      0.5 * 3,
    );
    expect(maxAbsDiff(q, wantQ)).toBeLessThan(1e-6);
    const v = await out.read('layers.0.v_proj.weight');
    expect(v.dtype).toBe('BF16');
    // rank_pattern: v_proj has r = 1, so scaling = 6/1.
    const wantV = merged(
      toFloat32(await base.read('layers.0.v_proj.weight')),
      lcg(6, 7),
      lcg(4, 8),
      4,
      1,
      6,
      0.5 * 6,
    );
    expect(maxAbsDiff(toFloat32(v), wantV)).toBeLessThan(2 ** -7 * 8); // bf16 rounding of values below 8
    await base.close();
    await out.close();
  });

  it('names the tensor on a shape mismatch or a missing base weight, and writes nothing', async () => {
    const dir = tmp();
    const basePath = await writeBase(dir);
    const bad = adapter();
    const modules = new Map(bad.modules);
    modules.set('layers.0.q_proj', {
      kind: 'linear',
      loraA: floatTensor([2, 5], lcg(10, 1)),
      loraB: floatTensor([8, 2], lcg(16, 1)),
    });
    await expect(
      applyAdapterToCheckpoint({ base: basePath, adapter: { ...bad, modules }, output: join(dir, 'o1') }),
    ).rejects.toThrow(
      /"base_model\.model\.layers\.0\.q_proj\.lora_A\.weight" \[2, 5\].*base tensor "layers\.0\.q_proj\.weight" is \[8, 6\]/,
    );
    const missing = new Map(bad.modules);
    missing.set('layers.0.k_proj', bad.modules.get('layers.0.q_proj')!);
    const config = parseLoraConfig({ ...bad.config, target_modules: ['q_proj', 'v_proj', 'k_proj'] });
    await expect(
      applyAdapterToCheckpoint({
        base: basePath,
        adapter: { ...bad, config, modules: missing },
        output: join(dir, 'o2'),
      }),
    ).rejects.toThrow(/targets "layers\.0\.k_proj\.weight", which is not in the base checkpoint/);
  });
});

describe('applyAdapterToCheckpoint with lora_bias', () => {
  it('adds scaling·lora_B.bias to the base bias', async () => {
    const dir = tmp();
    const basePath = await writeBase(dir);
    const base = adapter();
    const q = base.modules.get('layers.0.q_proj')!;
    const modules = new Map(base.modules);
    modules.set('layers.0.q_proj', {
      ...q,
      loraBias: floatTensor([8], Float32Array.of(1, 2, 3, 4, -1, -2, -3, -4)),
    });
    await applyAdapterToCheckpoint({
      base: basePath,
      adapter: { ...base, modules },
      output: join(dir, 'out'),
    });
    const out = await openCheckpoint(join(dir, 'out'));
    const bias = toFloat32(await out.read('layers.0.q_proj.bias'));
    const before = lcg(8, 2);
    // scaling = 6 / 2 = 3
    expect(
      maxAbsDiff(
        bias,
        Array.from(before, (b, i) => b + 3 * [1, 2, 3, 4, -1, -2, -3, -4][i]!),
      ),
    ).toBeLessThan(1e-6);
    await out.close();
  });
});

describe('extractAdapterFromCheckpoints', () => {
  it('recovers an exactly low-rank fine-tune, and apply(extract) reproduces the tuned weights', async () => {
    const dir = tmp();
    const basePath = await writeBase(dir);
    const base = await openCheckpoint(basePath);
    const w = toFloat32(await base.read('layers.0.q_proj.weight'));
    // Tuned = base + rank-2 update on q_proj; bias changed too (reported as skipped).
    const tunedW = Float32Array.from(merged(w, lcg(12, 21), lcg(16, 22), 8, 2, 6, 1));
    const tunedPath = join(dir, 'tuned.safetensors');
    await writeSafetensorsFile(tunedPath, {
      'layers.0.q_proj.weight': fromFloat32(tunedW, 'F32', [8, 6]),
      'layers.0.q_proj.bias': fromFloat32(lcg(8, 99), 'F32', [8]),
      'layers.0.v_proj.weight': await base.read('layers.0.v_proj.weight'),
      'norm.weight': await base.read('norm.weight'),
    });
    const { adapter: extracted, report } = await extractAdapterFromCheckpoints({
      base: basePath,
      tuned: tunedPath,
      rank: 4,
    });
    expect([...extracted.modules.keys()]).toEqual(['layers.0.q_proj']);
    expect(report.skipped).toEqual(['layers.0.q_proj.bias']);
    expect(report.modules[0]!.rank).toBe(4);
    expect(report.modules[0]!.relativeError).toBeLessThan(1e-6);
    expect(extracted.modules.get('layers.0.q_proj')!.loraA.shape).toEqual([4, 6]);
    const adapterDir = join(dir, 'extracted');
    await saveAdapter(adapterDir, extracted);
    const reloaded = await loadAdapter(adapterDir);
    expect(reloaded.config.lora_alpha).toBe(4);
    await applyAdapterToCheckpoint({ base: basePath, adapter: adapterDir, output: join(dir, 'applied') });
    const applied = await openCheckpoint(join(dir, 'applied'));
    expect(maxAbsDiff(toFloat32(await applied.read('layers.0.q_proj.weight')), tunedW)).toBeLessThan(1e-5);
    // Energy threshold: the rank-2 update needs exactly 2 components for 99.99% of ‖ΔW‖².
    const byEnergy = await extractAdapterFromCheckpoints({
      base: basePath,
      tuned: tunedPath,
      energy: 0.9999,
      targets: '.*q_proj',
    });
    expect(byEnergy.report.modules[0]!.rank).toBe(2);
    expect(byEnergy.report.skipped).toEqual([]);
    await base.close();
    await applied.close();
  });

  it('writes embedding tables as lora_embedding_A/B, and apply reproduces the tuned table', async () => {
    const dir = tmp();
    const table = lcg(5 * 3, 31);
    await writeSafetensorsFile(join(dir, 'base.safetensors'), {
      'model.embed_tokens.weight': fromFloat32(table, 'F32', [5, 3]),
    });
    // rank-1 change: row i gets u_i·v
    const u = [1, -2, 0.5, 0, 3];
    const v = [0.25, -0.5, 1];
    const tuned = Float32Array.from(table, (w, k) => w + u[Math.floor(k / 3)]! * v[k % 3]!);
    await writeSafetensorsFile(join(dir, 'tuned.safetensors'), {
      'model.embed_tokens.weight': fromFloat32(tuned, 'F32', [5, 3]),
    });
    const { adapter: extracted } = await extractAdapterFromCheckpoints({
      base: join(dir, 'base.safetensors'),
      tuned: join(dir, 'tuned.safetensors'),
      rank: 1,
    });
    const module = extracted.modules.get('model.embed_tokens')!;
    expect(module.kind).toBe('embedding');
    expect(module.loraA.shape).toEqual([1, 5]);
    expect(module.loraB.shape).toEqual([3, 1]);
    await applyAdapterToCheckpoint({
      base: join(dir, 'base.safetensors'),
      adapter: extracted,
      output: join(dir, 'applied'),
    });
    const applied = await openCheckpoint(join(dir, 'applied'));
    expect(maxAbsDiff(toFloat32(await applied.read('model.embed_tokens.weight')), tuned)).toBeLessThan(1e-5);
    await applied.close();
  });
});
