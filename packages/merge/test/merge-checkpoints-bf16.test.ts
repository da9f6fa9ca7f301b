import { existsSync, readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import {
  bf16ToF32,
  createCheckpointWriter,
  createRandom,
  f32ToBf16,
  openCheckpoint,
} from '@modelsmith/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';
import { mergeCheckpoints } from '../src/execute/merge-checkpoints.js';
import { taskVectorMerge } from '../src/methods/task-vector-merge.js';
import { removeTempDirectories, tempDirectory } from './fixtures.js';
import { DARE_TIES_DEFAULTS, TIES_DEFAULTS } from './ties-options.js';

afterAll(removeTempDirectories);

// Large enough for the fused BF16 path and its two threads; three tensors, so the two input slot sets
// alternate and one set is reused.
const SHAPES: Record<string, number[]> = {
  'layers.0.weight': [640, 512],
  'layers.1.weight': [300_001],
  'layers.2.weight': [512, 640],
};
const MODELS = ['base', 'ft-a', 'ft-b', 'ft-c'];

let root: string;
const values = new Map<string, Uint16Array>(); // `${model}/${tensor}` → BF16 bits

beforeAll(async () => {
  root = tempDirectory();
  for (const [m, model] of MODELS.entries()) {
    const specs = Object.entries(SHAPES).map(([name, shape]) => ({ name, dtype: 'BF16' as const, shape }));
    const writer = await createCheckpointWriter({ directory: join(root, model), specs });
    for (const [t, [name, shape]] of Object.entries(SHAPES).entries()) {
      const n = shape.reduce((a, b) => a * b, 1);
      const base = createRandom(5, 'base', t);
      const noise = createRandom(5, 'delta', t, m);
      const x = new Float32Array(n);
      // BF16 deltas repeat magnitudes a lot: the trim threshold falls among ties, as in real checkpoints
      for (let i = 0; i < n; i++)
        x[i] = base.normal(i) * 0.1 + (m > 0 ? 0.004 * Math.round(2 * noise.normal(i)) : 0);
      const bits = f32ToBf16(x);
      values.set(`${model}/${name}`, bits);
      await writer.write(name, { dtype: 'BF16', shape, data: bits });
    }
    await writer.finish();
  }
});

const recipe = (method: string, extra = '') =>
  parseMergeConfig(
    `merge_method: ${method}\nbase_model: base\n${extra}models:\n` +
      '  - {model: ft-a, parameters: {weight: 1.0, density: 0.5}}\n' +
      '  - {model: ft-b, parameters: {weight: 0.7, density: 0.3}}\n' +
      '  - {model: ft-c, parameters: {weight: 0.4, density: 0.6}}\n',
    { baseDirectory: root },
  );

/** What the general path gives: decode, taskVectorMerge in float32, encode. */
function expected(name: string, options: Parameters<typeof taskVectorMerge>[3], seed: number): Uint16Array {
  const decoded = (model: string) => bf16ToF32(values.get(`${model}/${name}`)!);
  const parameters = [
    { weight: 1, density: 0.5 },
    { weight: 0.7, density: 0.3 },
    { weight: 0.4, density: 0.6 },
  ];
  const merged = taskVectorMerge(
    decoded('base'),
    ['ft-a', 'ft-b', 'ft-c'].map(decoded),
    parameters,
    options,
    { name, shape: SHAPES[name]!, seed },
  );
  return f32ToBf16(merged);
}

async function read(directory: string, name: string): Promise<Uint16Array> {
  const checkpoint = await openCheckpoint(directory);
  const tensor = await checkpoint.read(name);
  await checkpoint.close();
  return tensor.data as Uint16Array;
}

const tiesOptions = TIES_DEFAULTS;
const dareTiesOptions = DARE_TIES_DEFAULTS;

describe('mergeCheckpoints on BF16 checkpoints (fused path, inputs read into the kernels’ memory)', () => {
  it('ties and dare_ties write the general path’s bits for every tensor', async () => {
    for (const [method, options] of [
      ['ties', tiesOptions],
      ['dare_ties', dareTiesOptions],
    ] as const) {
      const out = join(root, `out-${method}`);
      await mergeCheckpoints(recipe(method), { outputDirectory: out, seed: 11 });
      for (const name of Object.keys(SHAPES)) {
        const actual = await read(out, name);
        const want = expected(name, options, 11);
        expect(actual.findIndex((v, i) => v !== want[i])).toBe(-1);
      }
    }
  });

  it('two merges at once: one holds the input slots, the other reads as usual; both are right', async () => {
    const [a, b] = [join(root, 'out-a'), join(root, 'out-b')];
    await Promise.all([
      mergeCheckpoints(recipe('ties'), { outputDirectory: a, seed: 3 }),
      mergeCheckpoints(recipe('ties', 'parameters: {topk_ties: keep_ties}\n'), {
        outputDirectory: b,
        seed: 3,
      }),
    ]);
    for (const name of Object.keys(SHAPES)) {
      const first = await read(a, name);
      const second = await read(b, name);
      const wantFirst = expected(name, tiesOptions, 3);
      const wantSecond = expected(name, { ...tiesOptions, topKTies: 'keep_ties' }, 3);
      expect(first.findIndex((v, i) => v !== wantFirst[i])).toBe(-1);
      expect(second.findIndex((v, i) => v !== wantSecond[i])).toBe(-1);
    }
  });
});

describe('mergeCheckpoints when a read ahead fails', () => {
  it('rejects with the read error and leaves no output', async () => {
    const dir = tempDirectory();
    const names = ['t.0.weight', 't.1.weight', 't.2.weight'];
    for (const [m, model] of MODELS.entries()) {
      const specs = names.map((name) => ({ name, dtype: 'BF16' as const, shape: [64, 64] }));
      const writer = await createCheckpointWriter({ directory: join(dir, model), specs });
      for (const [t, name] of names.entries()) {
        const random = createRandom(1, t, m);
        const x = Float32Array.from({ length: 4096 }, (_, i) => random.normal(i));
        await writer.write(name, { dtype: 'BF16', shape: [64, 64], data: f32ToBf16(x) });
      }
      await writer.finish();
    }
    const config = parseMergeConfig(
      'merge_method: ties\nbase_model: base\nmodels:\n  - {model: ft-a, parameters: {weight: 1, density: 0.5}}\n',
      { baseDirectory: dir },
    );
    const out = join(dir, 'out');
    const file = join(dir, 'ft-a', readdirSync(join(dir, 'ft-a')).find((f) => f.endsWith('.safetensors'))!);
    // While the first tensor is merged, cut ft-a short: the read ahead of a later tensor fails.
    const merging = mergeCheckpoints(config, {
      outputDirectory: out,
      onProgress: ({ label }) => {
        if (label === 't.1.weight') truncateSync(file, 200);
      },
    });
    await expect(merging).rejects.toThrow(/t\.2\.weight|cannot read|truncated|beyond/);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
    expect(
      existsSync(out) ? readdirSync(out).filter((f) => f.startsWith('.modelsmith-partial')) : [],
    ).toEqual([]);
  });
});
