import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTensor, fromFloat32, openCheckpoint, type Tensor, toFloat32 } from '@modelsmith/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';
import { mergeCheckpoints, planMergeCheckpoints } from '../src/execute/merge-checkpoints.js';
import { removeTempDirectories, tempDirectory, writeTinyModel } from './fixtures.js';
import { expectClose, runMethod } from './helpers.js';

afterAll(removeTempDirectories);

let root: string;
beforeAll(async () => {
  root = tempDirectory();
  await writeTinyModel(join(root, 'base'), 1);
  await writeTinyModel(join(root, 'ft-a'), 2);
  await writeTinyModel(join(root, 'ft-b'), 3);
  await writeTinyModel(join(root, 'ft-c'), 4);
});

async function readAll(path: string): Promise<Map<string, Tensor>> {
  const checkpoint = await openCheckpoint(path);
  const out = new Map<string, Tensor>();
  for (const info of checkpoint.tensors) out.set(info.name, await checkpoint.read(info.name));
  await checkpoint.close();
  return out;
}

async function tensorOf(path: string, name: string): Promise<Float32Array> {
  const checkpoint = await openCheckpoint(path);
  const t = toFloat32(await checkpoint.read(name));
  await checkpoint.close();
  return t;
}

function recipe(text: string) {
  return parseMergeConfig(text, { baseDirectory: root });
}

/** bf16 round trip of a float32 result, as the writer stores it. */
function asBf16(values: Float32Array): Float32Array {
  return toFloat32(fromFloat32(values, 'BF16', [values.length]));
}

describe('mergeCheckpoints on mergekit documented examples', () => {
  it('(a) TIES with a density gradient and a filtered weight', async () => {
    const config = recipe(`merge_method: ties
base_model: base
models:
  - model: ft-a
    parameters: {density: [1, 0.7, 0.1], weight: 1.0}
  - model: ft-b
    parameters: {density: 0.5, weight: [0, 0.3, 0.7, 1]}
  - model: ft-c
    parameters:
      density: 0.33
      weight: [{filter: mlp, value: 0.5}, {value: 0}]
parameters: {normalize: true, int8_mask: true}
dtype: bfloat16
`);
    const out = join(root, 'out-ties');
    const result = await mergeCheckpoints(config, { outputDirectory: out });
    expect(result.copiedFiles).toContain('config.json');
    const name = 'model.layers.2.mlp.up_proj.weight';
    // 4 layers: layer 2 sits at t = 2/3. density gradient [1, .7, .1] → 0.5; weight gradient [0, .3, .7, 1] → 0.7; filtered mlp weight 0.5.
    const expected = runMethod('ties', {
      base: await tensorOf(join(root, 'base'), name),
      models: [
        await tensorOf(join(root, 'ft-a'), name),
        await tensorOf(join(root, 'ft-b'), name),
        await tensorOf(join(root, 'ft-c'), name),
      ],
      perModel: [
        { density: 0.5, weight: 1 },
        { density: 0.5, weight: 0.7 },
        { density: 0.33, weight: 0.5 },
      ],
      shape: [16, 8],
      tensor: name,
    });
    expectClose(await tensorOf(out, name), asBf16(expected), 0);
    // non-layer tensors are evaluated at t = 0: ft-b weight 0, ft-c weight 0 (no mlp in the name)
    const norm = 'model.norm.weight';
    const expectedNorm = runMethod('ties', {
      base: await tensorOf(join(root, 'base'), norm),
      models: [
        await tensorOf(join(root, 'ft-a'), norm),
        await tensorOf(join(root, 'ft-b'), norm),
        await tensorOf(join(root, 'ft-c'), norm),
      ],
      perModel: [
        { density: 1, weight: 1 },
        { density: 0.5, weight: 0 },
        { density: 0.33, weight: 0 },
      ],
      tensor: norm,
    });
    expectClose(await tensorOf(out, norm), asBf16(expectedNorm), 0);
    const checkpoint = await openCheckpoint(out);
    expect(checkpoint.metadata['modelsmith.merge.method']).toBe('ties');
    expect(JSON.parse(checkpoint.metadata['modelsmith.merge.resolved']!).length).toBeGreaterThan(1);
    await checkpoint.close();
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(
      readFileSync(join(root, 'base', 'tokenizer.json'), 'utf8'),
    );
  });

  it('(b) gradient SLERP over slices: first self_attn layer = model A, last = model B; mlp schedule reversed', async () => {
    const config = recipe(`merge_method: slerp
base_model: ft-a
slices:
  - sources:
      - {model: ft-a, layer_range: [0, 4]}
      - {model: ft-b, layer_range: [0, 4]}
parameters:
  t:
    - {filter: self_attn, value: [0, 0.5, 0.3, 0.7, 1]}
    - {filter: mlp, value: [1, 0.5, 0.7, 0.3, 0]}
    - {value: 0.5}
dtype: float16
`);
    const out = join(root, 'out-slerp');
    await mergeCheckpoints(config, { outputDirectory: out });
    const a = join(root, 'ft-a');
    const b = join(root, 'ft-b');
    const q0 = 'model.layers.0.self_attn.q_proj.weight';
    const q3 = 'model.layers.3.self_attn.q_proj.weight';
    const m0 = 'model.layers.0.mlp.up_proj.weight';
    expectClose(await tensorOf(out, q0), await tensorOf(a, q0), 0);
    expectClose(await tensorOf(out, q3), await tensorOf(b, q3), 0);
    expectClose(await tensorOf(out, m0), await tensorOf(b, m0), 0);
    const outCheckpoint = await openCheckpoint(out);
    expect(outCheckpoint.info(q0).dtype).toBe('F16');
    await outCheckpoint.close();
  });

  it('(c) passthrough layer stacking renumbers layers and updates num_hidden_layers', async () => {
    const config = recipe(`merge_method: passthrough
slices:
  - sources: [{model: ft-a, layer_range: [0, 3]}]
  - sources: [{model: ft-b, layer_range: [1, 4]}]
dtype: bfloat16
`);
    const out = join(root, 'out-passthrough');
    const result = await mergeCheckpoints(config, { outputDirectory: out });
    expect(result.plan.outputLayers).toBe(6);
    const merged = await readAll(out);
    const b = await readAll(join(root, 'ft-b'));
    const a = await readAll(join(root, 'ft-a'));
    expect(merged.get('model.layers.3.mlp.up_proj.weight')!.data).toEqual(
      b.get('model.layers.1.mlp.up_proj.weight')!.data,
    );
    expect(merged.get('model.layers.5.self_attn.q_proj.weight')!.data).toEqual(
      b.get('model.layers.3.self_attn.q_proj.weight')!.data,
    );
    expect(merged.get('model.layers.2.self_attn.q_proj.weight')!.data).toEqual(
      a.get('model.layers.2.self_attn.q_proj.weight')!.data,
    );
    expect(merged.get('model.embed_tokens.weight')!.data).toEqual(a.get('model.embed_tokens.weight')!.data);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).num_hidden_layers).toBe(6);
  });
});

describe('mergeCheckpoints properties', () => {
  it('merging identical models returns them byte for byte (linear, bf16)', async () => {
    const config = recipe(`merge_method: linear
models:
  - {model: ft-a, parameters: {weight: 0.3}}
  - {model: ft-a, parameters: {weight: 0.7}}
`);
    const out = join(root, 'out-identity');
    await mergeCheckpoints(config, { outputDirectory: out });
    const merged = await readAll(out);
    for (const [name, tensor] of await readAll(join(root, 'ft-a'))) {
      expect(merged.get(name)!.dtype).toBe(tensor.dtype);
      expect(merged.get(name)!.shape).toEqual(tensor.shape);
      expect(merged.get(name)!.data).toEqual(tensor.data);
    }
  });

  it('same seed → same bytes whatever the shard layout and row chunking; another seed differs', async () => {
    const config = recipe(`merge_method: dare_ties
base_model: base
models:
  - {model: ft-a, parameters: {weight: 0.5, density: 0.5}}
  - {model: ft-b, parameters: {weight: 0.5, density: 0.3}}
parameters: {rescale_mode: inverse_keep_probability}
`);
    const one = join(root, 'out-dare-1');
    const two = join(root, 'out-dare-2');
    const three = join(root, 'out-dare-3');
    const r1 = await mergeCheckpoints(config, { outputDirectory: one, seed: 7 });
    expect(r1.plan.tensors.find((t) => t.name === 'lm_head.weight')!.rowLocal).toBe(true);
    const r2 = await mergeCheckpoints(config, {
      outputDirectory: two,
      seed: 7,
      maxShardBytes: 600,
      chunkElements: 8,
    });
    expect(r2.files.length).toBeGreaterThan(2);
    await mergeCheckpoints(config, { outputDirectory: three, seed: 8 });
    const a = await readAll(one);
    const b = await readAll(two);
    const c = await readAll(three);
    let differs = false;
    for (const [name, tensor] of a) {
      expect(b.get(name)!.data).toEqual(tensor.data);
      if (Buffer.compare(Buffer.from(c.get(name)!.data.buffer), Buffer.from(tensor.data.buffer)) !== 0)
        differs = true;
    }
    expect(differs).toBe(true);
  });

  it('refuses to overwrite without force', async () => {
    const config = recipe('merge_method: linear\nmodels: [{model: ft-a, parameters: {weight: 1}}]\n');
    const out = join(root, 'out-force');
    await mergeCheckpoints(config, { outputDirectory: out });
    await expect(mergeCheckpoints(config, { outputDirectory: out })).rejects.toThrow(/already exist/);
    await mergeCheckpoints(config, { outputDirectory: out, force: true });
  });
});

describe('header checks before any data is read', () => {
  it('missing tensors, depth and shape mismatches are clear errors', async () => {
    await writeTinyModel(join(root, 'missing'), 5, { drop: ['model.layers.1.mlp.up_proj.weight'] });
    await writeTinyModel(join(root, 'deeper'), 6, { layers: 5 });
    const bad = join(root, 'bad-shape');
    await writeTinyModel(bad, 7, { extra: { 'model.norm.weight': createTensor('BF16', [9]) } });
    const plan = (model: string) =>
      planMergeCheckpoints(
        recipe(
          `merge_method: task_arithmetic\nbase_model: base\nmodels: [{model: ${model}, parameters: {weight: 1}}]\n`,
        ),
      );
    await expect(plan('missing')).rejects.toThrow(
      /model.layers.1.mlp.up_proj.weight' is missing from .*missing/,
    );
    await expect(plan('deeper')).rejects.toThrow(/has 5 layers but .* has 4/);
    await expect(plan('bad-shape')).rejects.toThrow(/model.norm.weight' has different shapes/);
    await expect(plan('nowhere')).rejects.toThrow(/nowhere/);
  });

  it('vocabulary differences: interpolation methods take the common rows, task vectors the base rows', async () => {
    await writeTinyModel(join(root, 'big-vocab'), 8, { vocab: 20 });
    const linear = await planMergeCheckpoints(
      recipe(
        'merge_method: linear\nmodels: [{model: base, parameters: {weight: 1}}, {model: big-vocab, parameters: {weight: 1}}]\n',
      ),
    );
    expect(linear.tensors.find((t) => t.name === 'model.embed_tokens.weight')!.shape).toEqual([16, 8]);
    expect(linear.warnings.join()).toMatch(/vocabulary sizes differ/);
    const ta = await planMergeCheckpoints(
      recipe(
        'merge_method: task_arithmetic\nbase_model: base\nmodels: [{model: big-vocab, parameters: {weight: 1}}]\n',
      ),
    );
    expect(ta.tensors.find((t) => t.name === 'lm_head.weight')!.shape).toEqual([16, 8]);
    const reversed = recipe(
      'merge_method: task_arithmetic\nbase_model: big-vocab\nmodels: [{model: base, parameters: {weight: 1}}]\n',
    );
    await expect(planMergeCheckpoints(reversed)).rejects.toThrow(/has 16 rows but the base has 20/);
    const out = join(root, 'out-vocab');
    await mergeCheckpoints(
      recipe(
        'merge_method: linear\nmodels: [{model: base, parameters: {weight: 1}}, {model: big-vocab, parameters: {weight: 1}}]\n',
      ),
      { outputDirectory: out },
    );
    const merged = await tensorOf(out, 'lm_head.weight');
    const a = await tensorOf(join(root, 'base'), 'lm_head.weight');
    const b = (await tensorOf(join(root, 'big-vocab'), 'lm_head.weight')).subarray(0, 128);
    expectClose(merged, asBf16(a.map((x, i) => (x + b[i]!) / 2)), 0);
  });

  it('bad parameters fail at plan time, naming the key', async () => {
    await expect(
      planMergeCheckpoints(
        recipe(
          'merge_method: ties\nbase_model: base\nmodels: [{model: ft-a, parameters: {weight: 1, density: 1.5}}]\n',
        ),
      ),
    ).rejects.toThrow(/models\[0\].parameters.density = 1.5.*≤ 1/);
    await expect(
      planMergeCheckpoints(
        recipe('merge_method: slerp\nmodels: [{model: ft-a}, {model: ft-b}]\nparameters: {t: 0.5}\n'),
      ),
    ).rejects.toThrow(/needs base_model/);
    await expect(
      planMergeCheckpoints(
        recipe(
          'merge_method: nearswap\nbase_model: base\nmodels: [{model: ft-a}, {model: ft-b}]\nparameters: {t: 0.5}\n',
        ),
      ),
    ).rejects.toThrow(/exactly 1 model/);
  });

  it('the dry-run plan counts bytes without writing anything', async () => {
    const plan = await planMergeCheckpoints(
      recipe(
        'merge_method: task_arithmetic\nbase_model: base\nmodels: [{model: ft-a, parameters: {weight: 1}}]\nout_dtype: float32\n',
      ),
    );
    // 2 inputs of bf16 (2 bytes) → 4 bytes read per element; f32 output → 4 bytes written per element.
    const elements = 2 * 16 * 8 + 8 + 4 * (64 + 128 + 8);
    expect(plan.readBytes).toBe(4 * elements);
    expect(plan.writeBytes).toBe(4 * elements);
    writeFileSync(join(root, 'marker'), '');
  });
});
