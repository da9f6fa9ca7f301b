import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, openCheckpoint, toFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';
import { mergeCheckpoints } from '../src/execute/merge-checkpoints.js';
import { taskVectorMerge } from '../src/methods/task-vector-merge.js';
import { removeTempDirectories, tempDirectory } from './fixtures.js';
import { TIES_DEFAULTS } from './ties-options.js';

afterAll(removeTempDirectories);

// Three tensors whose task vectors differ in scale by 10× each: a whole-model top-k keeps mostly the
// large one, a per-tensor top-k the same fraction of each.
const SHAPES: Record<string, number[]> = { 'a.weight': [40, 30], 'b.weight': [700], 'c.weight': [20, 20] };
const SCALES: Record<string, number> = { 'a.weight': 1, 'b.weight': 0.1, 'c.weight': 0.01 };
const MODELS = ['base', 'ft-1', 'ft-2', 'ft-3'];
const values = new Map<string, Float32Array>();
let root: string;

beforeAll(async () => {
  root = tempDirectory();
  for (const [m, model] of MODELS.entries()) {
    const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
    for (const [t, [name, shape]] of Object.entries(SHAPES).entries()) {
      const n = shape.reduce((a, b) => a * b, 1);
      const base = createRandom(9, 'base', t);
      const delta = createRandom(9, 'delta', t, m);
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = base.normal(i) + (m > 0 ? SCALES[name]! * delta.normal(i) : 0);
      values.set(`${model}/${name}`, x);
      tensors[name] = { dtype: 'F32', shape, data: x };
    }
    await writeSafetensorsFile(join(root, model, 'model.safetensors'), tensors);
  }
});

const recipe = (models: string, extra = '') =>
  parseMergeConfig(`merge_method: ties\nbase_model: base\n${extra}models:\n${models}`, {
    baseDirectory: root,
  });

async function read(directory: string, name: string): Promise<Float32Array> {
  const checkpoint = await openCheckpoint(directory);
  const tensor = toFloat32(await checkpoint.read(name));
  await checkpoint.close();
  return tensor;
}

/** Task vector of `model` over every tensor, concatenated in name order, as float32 differences. */
function flatDelta(model: string): Float32Array {
  const parts = Object.keys(SHAPES).map((name) => {
    const x = values.get(`${model}/${name}`)!;
    const b = values.get(`base/${name}`)!;
    return Float32Array.from(x, (v, i) => v - b[i]!);
  });
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('ties with trim_scope: model (the official TIES trim over the whole flattened task vector)', () => {
  it('keeps exactly the top density·N magnitudes over all tensors, not per tensor', async () => {
    const out = join(root, 'out-one');
    await mergeCheckpoints(
      recipe(
        '  - {model: ft-1, parameters: {weight: 1, density: 0.3}}\n',
        'parameters: {trim_scope: model}\n',
      ),
      { outputDirectory: out },
    );
    const delta = flatDelta('ft-1');
    const k = Math.floor(0.3 * delta.length);
    const kth = [...delta].map(Math.abs).sort((a, b) => b - a)[k - 1]!;
    let offset = 0;
    let kept = 0;
    const keptPerTensor: Record<string, number> = {};
    for (const name of Object.keys(SHAPES)) {
      const merged = await read(out, name);
      const base = values.get(`base/${name}`)!;
      keptPerTensor[name] = 0;
      for (let i = 0; i < merged.length; i++) {
        const changed = merged[i] !== base[i];
        // one model, weight 1: a kept entry moves to base + δ, a trimmed one stays at the base
        expect(changed).toBe(Math.abs(delta[offset + i]!) >= kth);
        if (changed) keptPerTensor[name]!++;
      }
      kept += keptPerTensor[name]!;
      offset += merged.length;
    }
    expect(kept).toBe(k);
    // the large task vector takes most of the budget; a per-tensor trim would keep 30% of each
    expect(keptPerTensor['a.weight']! / 1200).toBeGreaterThan(0.3);
    expect(keptPerTensor['c.weight']).toBe(0);
  });

  it('three models: the same result as trimming each flattened task vector by hand and merging', async () => {
    const out = join(root, 'out-three');
    const models =
      '  - {model: ft-1, parameters: {weight: 1.0, density: 0.4}}\n' +
      '  - {model: ft-2, parameters: {weight: 0.6, density: 0.2}}\n' +
      '  - {model: ft-3, parameters: {weight: 0.3, density: 0.5}}\n';
    await mergeCheckpoints(recipe(models, 'parameters: {trim_scope: model}\n'), { outputDirectory: out });
    const weights = [1, 0.6, 0.3];
    const densities = [0.4, 0.2, 0.5];
    // Independent reference: float64 top-k by sorting, then mergekit's weighted election and mean.
    const trimmed = ['ft-1', 'ft-2', 'ft-3'].map((model, m) => {
      const delta = flatDelta(model);
      const k = Math.floor(densities[m]! * delta.length);
      const kth = [...delta].map(Math.abs).sort((a, b) => b - a)[k - 1]!;
      return Float64Array.from(delta, (v) => (Math.abs(v) >= kth ? v : 0));
    });
    let offset = 0;
    for (const name of Object.keys(SHAPES)) {
      const merged = await read(out, name);
      const base = values.get(`base/${name}`)!;
      for (let i = 0; i < merged.length; i++) {
        const d = trimmed.map((t) => t[offset + i]!);
        const score = d.reduce((s, v, m) => s + weights[m]! * v, 0);
        const sign = score >= 0 ? 1 : -1;
        let mixed = 0;
        let divisor = 0;
        d.forEach((v, m) => {
          if (v * sign > 0) {
            mixed += weights[m]! * v;
            divisor += weights[m]!;
          }
        });
        const expected = base[i]! + (divisor === 0 ? 0 : mixed / divisor);
        expect(Math.abs(merged[i]! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      }
      offset += merged.length;
    }
  });

  it('is what preset: paper uses; densities must be one value per model; other methods are refused', async () => {
    // a filter gives a.weight another density than the rest
    const gradient =
      '  - {model: ft-1, parameters: {weight: 1, density: [{filter: a.weight, value: 0.2}, {value: 0.5}]}}\n';
    const refused = join(root, 'out-refused');
    await expect(
      mergeCheckpoints(recipe(gradient, 'preset: paper\n'), { outputDirectory: refused }),
    ).rejects.toThrow(/trim_scope: model .*density must be one value/);
    expect(existsSync(join(refused, 'model.safetensors'))).toBe(false);
    const breadcrumbs = parseMergeConfig(
      `merge_method: breadcrumbs_ties\nbase_model: base\nparameters: {trim_scope: model}\nmodels:\n  - {model: ft-1, parameters: {weight: 1, density: 0.5}}\n`,
      { baseDirectory: root },
    );
    await expect(mergeCheckpoints(breadcrumbs, { outputDirectory: join(root, 'out-b') })).rejects.toThrow(
      /trim_scope: model applies to ties/,
    );
  });

  it('a per-tensor call cannot rank across tensors: a clear error', () => {
    const x = new Float32Array(8).fill(1);
    expect(() =>
      taskVectorMerge(
        x,
        [x],
        [{ weight: 1, density: 0.5 }],
        { ...TIES_DEFAULTS, trimScope: 'model' },
        {
          name: 't',
          shape: [8],
          seed: 0,
        },
      ),
    ).toThrow(/needs the whole-model statistics/);
  });
});
