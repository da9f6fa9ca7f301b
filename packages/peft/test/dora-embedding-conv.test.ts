import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat32, openCheckpoint, toFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adapterFromStateDict,
  adapterToStateDict,
  applyAdapterToCheckpoint,
  decodeAdapter,
  encodeAdapter,
  floatTensor,
  getPeftModel,
  type LoraAdapter,
  loadAdapter,
  parseLoraConfig,
  saveAdapter,
  trainPeftModel,
} from '../src/index.js';
import { cpuRuntime, embeddingModel, lcg, maxAbsDiff } from './helpers.js';

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const layerWeight = (model: tf.LayersModel, name: string) => values(model.getLayer(name).getWeights()[0]!);

/** Norm per output of a tfjs weight whose last axis is the output (independent host loop, float64). */
function outputNorms(weight: readonly number[], out: number): number[] {
  const sums = new Array<number>(out).fill(0);
  for (let i = 0; i < weight.length; i++) sums[i % out]! += weight[i]! ** 2;
  return sums.map(Math.sqrt);
}

/** Embedding [num=7, dim=5] → flatten → Dense head. */
/**
 * After training: merged outputs equal the unmerged ones, the merged weight's norm per output is m,
 * unmerge restores the original weight, and mergeAndUnload gives the same outputs (all within 1e-5).
 */
function expectMergeIdentities(c: {
  peft: ReturnType<typeof getPeftModel>;
  model: tf.LayersModel;
  layer: string;
  outputs: number;
  m: number[];
  original: readonly number[];
  predict: () => number[];
  tuned: number[];
  inputs: tf.Tensor;
}): void {
  c.peft.merge();
  expect(maxAbsDiff(c.predict(), c.tuned)).toBeLessThan(1e-5);
  expect(maxAbsDiff(outputNorms(layerWeight(c.model, c.layer), c.outputs), c.m)).toBeLessThan(1e-5);
  c.peft.unmerge();
  expect(maxAbsDiff(layerWeight(c.model, c.layer), c.original)).toBeLessThan(1e-5);
  expect(maxAbsDiff(c.predict(), c.tuned)).toBeLessThan(1e-5);
  const plain = c.peft.mergeAndUnload();
  expect(maxAbsDiff(values(plain.predict(c.inputs) as tf.Tensor), c.tuned)).toBeLessThan(1e-5);
}

const embeddingIds = () =>
  tf.tensor2d(
    [
      [0, 3, 6],
      [1, 1, 2],
      [5, 4, 0],
      [6, 2, 3],
    ],
    [4, 3],
  );

interface ConvCase {
  readonly label: string;
  readonly padding: 'same' | 'valid';
  readonly strides: number;
  readonly dilationRate: number;
  /** tfjs has no conv2d gradient for dilation > 1: those factors are set directly instead of trained. */
  readonly trainable: boolean;
}

const CONV_CASES: readonly ConvCase[] = [
  { label: 'same padding, stride 1', padding: 'same', strides: 1, dilationRate: 1, trainable: true },
  { label: 'valid padding, stride 2', padding: 'valid', strides: 2, dilationRate: 1, trainable: true },
  { label: 'same padding, dilation 2', padding: 'same', strides: 1, dilationRate: 2, trainable: false },
];

/** Conv2D 3×3, 2 → 4 channels with bias and ReLU, on 6×6 inputs → flatten → Dense head. */
function convModel(c: ConvCase = CONV_CASES[0]!): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 2],
      filters: 4,
      kernelSize: 3,
      strides: c.strides,
      padding: c.padding,
      dilationRate: c.dilationRate,
      activation: 'relu',
      name: 'conv',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      biasInitializer: tf.initializers.randomNormal({ seed: 5, stddev: 0.1 }),
    }),
  );
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 2,
      name: 'head',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
    }),
  );
  return model;
}

const convInputs = () => tf.tensor4d(lcg(3 * 6 * 6 * 2, 9), [3, 6, 6, 2]);

describe('DoRA magnitude init, worked by hand', () => {
  it('Embedding: m = norm of each embedding dimension over the vocabulary, shape [embedding_dim]', () => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 3, outputDim: 2, inputLength: 2, name: 'embed' }));
    // Table [num=3, dim=2]; PEFT's weight-norm input is its transpose [dim, num], normed per row:
    // dim 0: √(1² + 2² + 2²) = 3; dim 1: √(2² + 0² + 1²) = √5.
    model.getLayer('embed').setWeights([tf.tensor2d([1, 2, 2, 0, 2, 1], [3, 2])]);
    const ids = tf.tensor2d([0, 2, 1, 1], [2, 2]);
    const base = values(model.predict(ids) as tf.Tensor);
    const peft = getPeftModel(runtime, model, {
      r: 2,
      lora_alpha: 2,
      target_modules: ['embed'],
      use_dora: true,
    });
    const magnitude = peft.getAdapter().modules.get('embed')!.magnitude!;
    expect(magnitude.shape).toEqual([2]);
    expect(maxAbsDiff(magnitude.data, [3, Math.sqrt(5)])).toBeLessThan(1e-6);
    // Init: A = 0 so m/‖W + ΔW‖ = 1 and the output is the base output bit for bit.
    expect(values(model.predict(ids) as tf.Tensor)).toEqual(base);
  });

  it('Conv2D: m = norm of each filter over (in, kh, kw), stored as [1, out, 1, 1] like PEFT', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 2, kernelSize: 2, useBias: false, name: 'conv' }),
    );
    // tfjs kernel [kh=2, kw=2, in=1, out=2], listed as (h, w) pairs of (filter 0, filter 1):
    // filter 0 = [1, 2, 2, 4] → √(1 + 4 + 4 + 16) = 5; filter 1 = [1, 1, 1, 1] → √4 = 2.
    model.getLayer('conv').setWeights([tf.tensor4d([1, 1, 2, 1, 2, 1, 4, 1], [2, 2, 1, 2])]);
    const x = tf.tensor4d(lcg(9, 3), [1, 3, 3, 1]);
    const base = values(model.predict(x) as tf.Tensor);
    const peft = getPeftModel(runtime, model, {
      r: 1,
      lora_alpha: 1,
      target_modules: ['conv'],
      use_dora: true,
    });
    const magnitude = peft.getAdapter().modules.get('conv')!.magnitude!;
    expect(magnitude.shape).toEqual([1, 2, 1, 1]);
    expect(maxAbsDiff(magnitude.data, [5, 2])).toBeLessThan(1e-6);
    // Init: B = 0, so the output is the base output bit for bit.
    expect(values(model.predict(x) as tf.Tensor)).toEqual(base);
  });
});

describe('DoRA on Embedding', () => {
  it('is exact at init; after training merged = unmerged (1e-5), merged norms = m, unmerge restores W₀', async () => {
    const model = embeddingModel(1);
    const ids = embeddingIds();
    const predict = () => values(model.predict(ids) as tf.Tensor);
    const base = predict();
    const table = layerWeight(model, 'embed');
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['embed'], use_dora: true },
      { seed: 7 },
    );
    expect(predict()).toEqual(base);
    const m0 = values(peft.loraLayer('embed')!.adapters.get('default')!.magnitude!);
    expect(maxAbsDiff(m0, outputNorms(table, 5))).toBeLessThan(1e-6);
    await trainPeftModel(
      runtime,
      peft,
      { inputs: ids, targets: tf.tensor2d(lcg(8, 5), [4, 2]) },
      { loss: 'meanSquaredError', learningRate: 0.1, epochs: 10, batchSize: 4 },
    );
    const tuned = predict();
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-3);
    const m = values(peft.loraLayer('embed')!.adapters.get('default')!.magnitude!);
    expect(maxAbsDiff(m, m0)).toBeGreaterThan(1e-4); // the magnitude trains
    // The merged table's norm per embedding dimension is m.
    expectMergeIdentities({
      peft,
      model,
      layer: 'embed',
      outputs: 5,
      m,
      original: table,
      predict,
      tuned,
      inputs: ids,
    });
  });

  it('save → load → save keeps keys, shapes and bytes; the loaded adapter reproduces the outputs', async () => {
    const model = embeddingModel(1);
    const ids = embeddingIds();
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['embed'], use_dora: true },
      { seed: 8 },
    );
    await trainPeftModel(
      runtime,
      peft,
      { inputs: ids, targets: tf.tensor2d(lcg(8, 6), [4, 2]) },
      { loss: 'meanSquaredError', learningRate: 0.1, epochs: 5, batchSize: 4 },
    );
    const tuned = values(model.predict(ids) as tf.Tensor);
    const dir = mkdtempSync(join(tmpdir(), 'peft-dora-emb-'));
    await saveAdapter(join(dir, 'a'), peft.getAdapter());
    const loaded = await loadAdapter(join(dir, 'a'));
    const shapes = Object.fromEntries([...adapterToStateDict(loaded)].map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({
      'base_model.model.embed.lora_embedding_A': [2, 7],
      'base_model.model.embed.lora_embedding_B': [5, 2],
      'base_model.model.embed.lora_magnitude_vector': [5],
    });
    const fresh = embeddingModel(1);
    const other = getPeftModel(runtime, fresh, { r: 1, target_modules: ['head'] }, { adapterName: 'x' });
    other.loadAdapter(loaded, 'default');
    other.setAdapter('default');
    expect(maxAbsDiff(values(fresh.predict(ids) as tf.Tensor), tuned)).toBeLessThan(1e-6);
    const first = encodeAdapter(peft.getAdapter());
    const second = encodeAdapter(other.getAdapter('default'));
    expect(Buffer.from(second.weights).equals(Buffer.from(first.weights))).toBe(true);
    expect(second.config).toBe(first.config);
  });
});

describe('DoRA on Conv2D', () => {
  for (const c of CONV_CASES) {
    it(`${c.label}: exact at init; merged = unmerged (1e-5), filter norms = m, unmerge restores W₀`, async () => {
      const model = convModel(c);
      const x = convInputs();
      const predict = () => values(model.predict(x) as tf.Tensor);
      const base = predict();
      const kernel0 = layerWeight(model, 'conv');
      const peft = getPeftModel(
        runtime,
        model,
        { r: 2, lora_alpha: 4, target_modules: ['conv'], use_dora: true },
        { seed: 9 },
      );
      expect(predict()).toEqual(base);
      const m0 = values(peft.loraLayer('conv')!.adapters.get('default')!.magnitude!);
      expect(maxAbsDiff(m0, outputNorms(kernel0, 4))).toBeLessThan(1e-6);
      const state = peft.loraLayer('conv')!.adapters.get('default')!;
      if (c.trainable) {
        await trainPeftModel(
          runtime,
          peft,
          { inputs: x, targets: tf.tensor2d(lcg(6, 10), [3, 2]) },
          { loss: 'meanSquaredError', learningRate: 0.05, epochs: 10, batchSize: 3 },
        );
      } else {
        state.b.assign(tf.tensor4d(lcg(2 * 4, 14), [1, 1, 2, 4]).mul(0.3));
        state.magnitude!.assign(tf.tensor1d(m0.map((v, i) => v * (1 + 0.2 * (i - 1.5)))));
      }
      const tuned = predict();
      expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-4);
      const m = values(peft.loraLayer('conv')!.adapters.get('default')!.magnitude!);
      expect(maxAbsDiff(m, m0)).toBeGreaterThan(1e-5);
      expectMergeIdentities({
        peft,
        model,
        layer: 'conv',
        outputs: 4,
        m,
        original: kernel0,
        predict,
        tuned,
        inputs: x,
      });
    });
  }

  it('save → load → save keeps keys, shapes and bytes; a plain [out] magnitude is read too', async () => {
    const model = convModel();
    const x = convInputs();
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['conv'], use_dora: true },
      { seed: 10 },
    );
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x, targets: tf.tensor2d(lcg(6, 11), [3, 2]) },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 5, batchSize: 3 },
    );
    const tuned = values(model.predict(x) as tf.Tensor);
    const dir = mkdtempSync(join(tmpdir(), 'peft-dora-conv-'));
    await saveAdapter(join(dir, 'a'), peft.getAdapter());
    const loaded = await loadAdapter(join(dir, 'a'));
    const shapes = Object.fromEntries([...adapterToStateDict(loaded)].map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({
      'base_model.model.conv.lora_A.weight': [2, 2, 3, 3],
      'base_model.model.conv.lora_B.weight': [4, 2, 1, 1],
      'base_model.model.conv.lora_magnitude_vector': [1, 4, 1, 1],
    });
    const fresh = convModel();
    const other = getPeftModel(runtime, fresh, { r: 1, target_modules: ['head'] }, { adapterName: 'x' });
    other.loadAdapter(loaded, 'default');
    other.setAdapter('default');
    expect(maxAbsDiff(values(fresh.predict(x) as tf.Tensor), tuned)).toBeLessThan(1e-6);
    const first = encodeAdapter(peft.getAdapter());
    const second = encodeAdapter(other.getAdapter('default'));
    expect(Buffer.from(second.weights).equals(Buffer.from(first.weights))).toBe(true);

    // The same values stored as a flat [out] vector load to the same layer, and save back in PEFT's shape.
    const flat = new Map(adapterToStateDict(loaded));
    const key = 'base_model.model.conv.lora_magnitude_vector';
    flat.set(key, floatTensor([4], flat.get(key)!.data));
    const third = getPeftModel(
      runtime,
      convModel(),
      { r: 1, target_modules: ['head'] },
      { adapterName: 'x' },
    );
    third.loadAdapter(adapterFromStateDict(loaded.config, flat), 'default');
    third.setAdapter('default');
    expect(maxAbsDiff(values(third.model.predict(x) as tf.Tensor), tuned)).toBeLessThan(1e-6);
    expect(third.getAdapter('default').modules.get('conv')!.magnitude!.shape).toEqual([1, 4, 1, 1]);
  });
});

/** PyTorch-layout conv weight [out, in, kh, kw] from a tfjs kernel [kh, kw, in, out]. */
function torchConvWeight(kernel: tf.Tensor): Float32Array {
  return Float32Array.from(tf.transpose(kernel, [3, 2, 0, 1]).dataSync());
}

describe('DoRA Embedding/Conv2D adapters applied to a PyTorch-layout checkpoint', () => {
  it('embedding: applyAdapterToCheckpoint equals the tfjs merge (norm per embedding dimension)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peft-dora-e2e-'));
    const model = embeddingModel(1);
    const table = model.getLayer('embed').getWeights()[0]!;
    // nn.Embedding.weight is [num, dim], the same layout as the tfjs table.
    await writeSafetensorsFile(join(dir, 'base.safetensors'), {
      'embed.weight': fromFloat32(Float32Array.from(table.dataSync()), 'F32', [7, 5]),
    });
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['embed'], use_dora: true },
      { seed: 11 },
    );
    await trainPeftModel(
      runtime,
      peft,
      { inputs: embeddingIds(), targets: tf.tensor2d(lcg(8, 12), [4, 2]) },
      { loss: 'meanSquaredError', learningRate: 0.1, epochs: 8, batchSize: 4 },
    );
    await saveAdapter(join(dir, 'adapter'), peft.getAdapter());
    await applyAdapterToCheckpoint({
      base: join(dir, 'base.safetensors'),
      adapter: join(dir, 'adapter'),
      output: join(dir, 'merged'),
    });
    peft.merge();
    const merged = await openCheckpoint(join(dir, 'merged'));
    expect(
      maxAbsDiff(toFloat32(await merged.read('embed.weight')), layerWeight(model, 'embed')),
    ).toBeLessThan(1e-5);
    await merged.close();
  });

  it('conv2d: applyAdapterToCheckpoint on [out, in, kh, kw] equals the tfjs merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peft-dora-e2e-'));
    const model = convModel();
    const [kernel, bias] = model.getLayer('conv').getWeights() as [tf.Tensor, tf.Tensor];
    await writeSafetensorsFile(join(dir, 'base.safetensors'), {
      'conv.weight': fromFloat32(torchConvWeight(kernel), 'F32', [4, 2, 3, 3]),
      'conv.bias': fromFloat32(Float32Array.from(bias.dataSync()), 'F32', [4]),
    });
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['conv'], use_dora: true },
      { seed: 12 },
    );
    await trainPeftModel(
      runtime,
      peft,
      { inputs: convInputs(), targets: tf.tensor2d(lcg(6, 13), [3, 2]) },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 8, batchSize: 3 },
    );
    await saveAdapter(join(dir, 'adapter'), peft.getAdapter());
    await applyAdapterToCheckpoint({
      base: join(dir, 'base.safetensors'),
      adapter: join(dir, 'adapter'),
      output: join(dir, 'merged'),
    });
    peft.merge();
    const merged = await openCheckpoint(join(dir, 'merged'));
    const tfMerged = model.getLayer('conv').getWeights()[0]!;
    expect(maxAbsDiff(toFloat32(await merged.read('conv.weight')), torchConvWeight(tfMerged))).toBeLessThan(
      1e-5,
    );
    await merged.close();
  });
});

describe('DoRA with lora_dropout follows PEFT: W·x sees the dropped-out input', () => {
  it('Dense with one input feature and m = 0: y − b = ±x·W elementwise (0 if W·x used the clean input)', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.dense({
        units: 3,
        inputShape: [1],
        name: 'fc',
        kernelInitializer: tf.initializers.constant({ value: 0.5 }),
        biasInitializer: tf.initializers.constant({ value: 0.25 }),
      }),
    );
    const peft = getPeftModel(runtime, model, {
      r: 1,
      lora_alpha: 1,
      lora_dropout: 0.5,
      target_modules: ['fc'],
      use_dora: true,
    });
    const state = peft.loraLayer('fc')!.adapters.get('default')!;
    state.magnitude!.assign(tf.zeros([3]));
    // m = 0 ⇒ y = x·W + b − x̃·W with x̃ = dropout(x) ∈ {0, 2x}: y − b = ±x·W.
    const x = tf.tensor2d([1, -2, 3, 0.5], [4, 1]);
    const y = values(model.apply(x, { training: true }) as tf.Tensor);
    const xs = [1, -2, 3, 0.5];
    for (let k = 0; k < y.length; k++) {
      expect(Math.abs(Math.abs(y[k]! - 0.25) - Math.abs(xs[Math.floor(k / 3)]! * 0.5))).toBeLessThan(1e-6);
    }
    // Inference (no dropout): y = b exactly.
    expect(maxAbsDiff(values(model.predict(x) as tf.Tensor), new Array(12).fill(0.25))).toBeLessThan(1e-7);
  });
});

describe('DoRA checkpoint merge on a fan_in_fan_out weight', () => {
  it('rescales the columns of an [in, out] weight (GPT-2 Conv1D), worked by hand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peft-dora-fifo-'));
    // W [in=3, out=2] = [[1, 0], [0, 1], [0, 0]]; A [1, 3] = [0, 0, 2], B [2, 1] = [1, 0], s = 1:
    // (B·A)ᵀ = [[0, 0], [0, 0], [2, 0]], so W + ΔW = [[1, 0], [0, 1], [2, 0]] with column norms √5 and 1.
    // m = [5, 3] scales column 0 by √5 and column 1 by 3: [[√5, 0], [0, 3], [2√5, 0]].
    await writeSafetensorsFile(join(dir, 'base.safetensors'), {
      'c_attn.weight': fromFloat32(Float32Array.of(1, 0, 0, 1, 0, 0), 'F32', [3, 2]),
    });
    const adapter: LoraAdapter = {
      config: parseLoraConfig({
        peft_type: 'LORA',
        r: 1,
        lora_alpha: 1,
        target_modules: ['c_attn'],
        fan_in_fan_out: true,
        use_dora: true,
      }),
      modules: new Map([
        [
          'c_attn',
          {
            kind: 'linear',
            loraA: floatTensor([1, 3], Float32Array.of(0, 0, 2)),
            loraB: floatTensor([2, 1], Float32Array.of(1, 0)),
            magnitude: floatTensor([2], Float32Array.of(5, 3)),
          },
        ],
      ]),
      savedModules: new Map(),
    };
    await applyAdapterToCheckpoint({
      base: join(dir, 'base.safetensors'),
      adapter,
      output: join(dir, 'merged'),
    });
    const merged = await openCheckpoint(join(dir, 'merged'));
    const r5 = Math.sqrt(5);
    expect(maxAbsDiff(toFloat32(await merged.read('c_attn.weight')), [r5, 0, 0, 3, 2 * r5, 0])).toBeLessThan(
      1e-6,
    );
    await merged.close();
  });
});

/**
 * Gradient checks. The loss is L = Σ G ⊙ y for fixed G. With the norm n = ‖W + s·A·B‖ treated as a
 * constant (DoRA §4.3), the closed-form gradients below (host float64 loops, independent of tfjs) are what
 * autodiff must return; the full derivative (norm not detached), estimated by central differences of a
 * host float64 forward, must differ.
 */
describe('DoRA gradients treat the weight norm as a constant', () => {
  it('Embedding: dL/dm, dL/dA, dL/dB match the detached closed form', () => {
    const num = 4;
    const dim = 3;
    const r = 2;
    const s = 1.5; // lora_alpha 3 / r 2
    const model = tf.sequential();
    model.add(
      tf.layers.embedding({
        inputDim: num,
        outputDim: dim,
        inputLength: 3,
        name: 'embed',
        embeddingsInitializer: tf.initializers.randomNormal({ seed: 21 }),
      }),
    );
    const peft = getPeftModel(runtime, model, {
      r,
      lora_alpha: 3,
      target_modules: ['embed'],
      use_dora: true,
    });
    const state = peft.loraLayer('embed')!.adapters.get('default')!;
    const A = Array.from(lcg(num * r, 22)); // tfjs [num, r]
    const B = Array.from(lcg(r * dim, 23)); // tfjs [r, dim]
    const M = Array.from(lcg(dim, 24), (v) => 1 + v / 2);
    state.a.assign(tf.tensor2d(A, [num, r]));
    state.b.assign(tf.tensor2d(B, [r, dim]));
    state.magnitude!.assign(tf.tensor1d(M));
    const W = layerWeight(model, 'embed');
    const idRows = [
      [0, 2, 2],
      [3, 1, 0],
    ];
    const ids = idRows.flat();
    const G = Array.from(lcg(ids.length * dim, 25));

    // Host forward y[t, d] = (m_d / n_d)·T[id_t, d], T = W + s·A·B; `frozen` fixes n.
    const forward = (a: number[], b: number[], m: number[], frozen?: number[]) => {
      const T = W.map((w, k) => {
        const i = Math.floor(k / dim);
        const d = k % dim;
        let sum = 0;
        for (let c = 0; c < r; c++) sum += a[i * r + c]! * b[c * dim + d]!;
        return w + s * sum;
      });
      const n = frozen ?? outputNorms(T, dim);
      const y = ids.flatMap((id) =>
        Array.from({ length: dim }, (_, d) => (m[d]! / n[d]!) * T[id * dim + d]!),
      );
      return { T, n, y };
    };
    const loss = (y: number[]) => y.reduce((sum, v, k) => sum + v * G[k]!, 0);
    const { T, n, y } = forward(A, B, M);
    const c = M.map((m, d) => m / n[d]!);

    const idTensor = tf.tensor2d(idRows, [2, 3]);
    const g = tf.tensor3d(G, [2, 3, dim]);
    const out = model.apply(idTensor, { training: true }) as tf.Tensor;
    expect(maxAbsDiff(values(out), y)).toBeLessThan(1e-5); // forward matches the host

    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(model.apply(idTensor) as tf.Tensor, g)) as tf.Scalar,
      [state.a, state.b, state.magnitude!],
    );
    const gM = new Array<number>(dim).fill(0);
    const gA = new Array<number>(num * r).fill(0);
    const gB = new Array<number>(r * dim).fill(0);
    ids.forEach((id, t) => {
      for (let d = 0; d < dim; d++) {
        const gt = G[t * dim + d]!;
        gM[d]! += (gt * T[id * dim + d]!) / n[d]!;
        for (let k = 0; k < r; k++) {
          gB[k * dim + d]! += gt * c[d]! * s * A[id * r + k]!;
          gA[id * r + k]! += gt * c[d]! * s * B[k * dim + d]!;
        }
      }
    });
    expect(maxAbsDiff(values(grads[state.magnitude!.name]!), gM)).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[state.a.name]!), gA)).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[state.b.name]!), gB)).toBeLessThan(1e-5);

    // The closed form is the derivative with n frozen (central differences agree) ...
    const h = 1e-6;
    const fd = (frozen?: number[]) =>
      B.map((_, k) => {
        const up = B.slice();
        const down = B.slice();
        up[k]! += h;
        down[k]! -= h;
        return (loss(forward(A, up, M, frozen).y) - loss(forward(A, down, M, frozen).y)) / (2 * h);
      });
    expect(maxAbsDiff(fd(n), gB)).toBeLessThan(1e-6);
    // ... and not the full derivative, where n moves with B.
    expect(maxAbsDiff(fd(), values(grads[state.b.name]!))).toBeGreaterThan(1e-2);
  });

  it('Conv2D: dL/dm, dL/dA, dL/dB match the detached closed form', () => {
    const [H, Wd, inC, out, kh, kw, r] = [4, 4, 2, 2, 2, 2, 2];
    const s = 2; // lora_alpha 4 / r 2
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({
        inputShape: [H, Wd, inC],
        filters: out,
        kernelSize: kh,
        padding: 'valid',
        name: 'conv',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 31 }),
        biasInitializer: tf.initializers.randomNormal({ seed: 32 }),
      }),
    );
    const peft = getPeftModel(runtime, model, { r, lora_alpha: 4, target_modules: ['conv'], use_dora: true });
    const state = peft.loraLayer('conv')!.adapters.get('default')!;
    const A = Array.from(lcg(kh * kw * inC * r, 33)); // tfjs [kh, kw, in, r]
    const B = Array.from(lcg(r * out, 34)); // tfjs [1, 1, r, out]
    const M = Array.from(lcg(out, 35), (v) => 1 + v / 2);
    state.a.assign(tf.tensor4d(A, [kh, kw, inC, r]));
    state.b.assign(tf.tensor4d(B, [1, 1, r, out]));
    state.magnitude!.assign(tf.tensor1d(M));
    const [kernelT, biasT] = model.getLayer('conv').getWeights() as [tf.Tensor, tf.Tensor];
    const K = values(kernelT);
    const bias = values(biasT);
    const X = Array.from(lcg(H * Wd * inC, 36)); // one image [H, W, in]
    const oh = H - kh + 1;
    const ow = Wd - kw + 1;
    const G = Array.from(lcg(oh * ow * out, 37));
    const xAt = (y: number, x: number, i: number) => X[(y * Wd + x) * inC + i]!;
    /** Valid, stride-1 host convolution of the image with a kernel [kh, kw, in, channels]. */
    const conv = (kernel: number[], channels: number) => {
      const res = new Array<number>(oh * ow * channels).fill(0);
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++)
          for (let o = 0; o < channels; o++) {
            let sum = 0;
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++)
                for (let i = 0; i < inC; i++)
                  sum += xAt(y + p, x + q, i) * kernel[((p * kw + q) * inC + i) * channels + o]!;
            res[(y * ow + x) * channels + o] = sum;
          }
      return res;
    };
    const forward = (a: number[], b: number[], m: number[], frozen?: number[]) => {
      const T = K.map((w, k) => {
        const row = Math.floor(k / out);
        const o = k % out;
        let sum = 0;
        for (let c = 0; c < r; c++) sum += a[row * r + c]! * b[c * out + o]!;
        return w + s * sum;
      });
      const n = frozen ?? outputNorms(T, out);
      const y = conv(T, out).map((v, k) => (m[k % out]! / n[k % out]!) * v + bias[k % out]!);
      return { T, n, y };
    };
    const loss = (y: number[]) => y.reduce((sum, v, k) => sum + v * G[k]!, 0);
    const { T, n, y } = forward(A, B, M);
    const c = M.map((m, o) => m / n[o]!);

    const xT = tf.tensor4d(X, [1, H, Wd, inC]);
    const g = tf.tensor4d(G, [1, oh, ow, out]);
    expect(maxAbsDiff(values(model.apply(xT) as tf.Tensor), y)).toBeLessThan(1e-5);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(model.apply(xT) as tf.Tensor, g)) as tf.Scalar,
      [state.a, state.b, state.magnitude!],
    );
    const convT = conv(T, out);
    const hidden = conv(A, r); // A(x) [oh, ow, r]
    const gM = new Array<number>(out).fill(0);
    const gB = new Array<number>(r * out).fill(0);
    const gA = new Array<number>(kh * kw * inC * r).fill(0);
    for (let pos = 0; pos < oh * ow; pos++) {
      const py = Math.floor(pos / ow);
      const px = pos % ow;
      for (let o = 0; o < out; o++) {
        const gt = G[pos * out + o]!;
        gM[o]! += (gt * convT[pos * out + o]!) / n[o]!;
        for (let k = 0; k < r; k++) {
          gB[k * out + o]! += gt * c[o]! * s * hidden[pos * r + k]!;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++)
              for (let i = 0; i < inC; i++)
                gA[((p * kw + q) * inC + i) * r + k]! +=
                  gt * c[o]! * s * B[k * out + o]! * xAt(py + p, px + q, i);
        }
      }
    }
    expect(maxAbsDiff(values(grads[state.magnitude!.name]!), gM)).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[state.a.name]!), gA)).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[state.b.name]!), gB)).toBeLessThan(1e-5);

    const h = 1e-6;
    const fd = (frozen?: number[]) =>
      B.map((_, k) => {
        const up = B.slice();
        const down = B.slice();
        up[k]! += h;
        down[k]! -= h;
        return (loss(forward(A, up, M, frozen).y) - loss(forward(A, down, M, frozen).y)) / (2 * h);
      });
    expect(maxAbsDiff(fd(n), gB)).toBeLessThan(1e-6);
    expect(maxAbsDiff(fd(), values(grads[state.b.name]!))).toBeGreaterThan(1e-2);
  });
});

describe('DoRA magnitude shape errors name the tensor', () => {
  const config = parseLoraConfig({
    peft_type: 'LORA',
    r: 1,
    target_modules: ['embed', 'conv'],
    use_dora: true,
  });
  const conv = (magnitudeShape: number[]) =>
    new Map([
      ['base_model.model.conv.lora_A.weight', floatTensor([1, 2, 3, 3])],
      ['base_model.model.conv.lora_B.weight', floatTensor([4, 1, 1, 1])],
      ['base_model.model.conv.lora_magnitude_vector', floatTensor(magnitudeShape)],
    ]);
  const embed = (magnitudeShape?: number[]) =>
    new Map([
      ['base_model.model.embed.lora_embedding_A', floatTensor([1, 7])],
      ['base_model.model.embed.lora_embedding_B', floatTensor([5, 1])],
      ...(magnitudeShape
        ? [['base_model.model.embed.lora_magnitude_vector', floatTensor(magnitudeShape)] as const]
        : []),
    ]);

  it('reading: wrong conv / embedding magnitude shapes, and a missing magnitude with use_dora', () => {
    expect(adapterFromStateDict(config, conv([1, 4, 1, 1])).modules.get('conv')!.magnitude!.shape).toEqual([
      1, 4, 1, 1,
    ]);
    expect(adapterFromStateDict(config, conv([4])).modules.get('conv')!.magnitude!.shape).toEqual([4]);
    for (const bad of [[3], [1, 3, 1, 1], [4, 1, 1, 1], [1, 4]]) {
      expect(() => adapterFromStateDict(config, conv(bad))).toThrow(
        /"base_model\.model\.conv\.lora_magnitude_vector" must be \[1, 4, 1, 1\].*output channel/,
      );
    }
    // One entry per embedding dimension (5), not per vocabulary row (7).
    expect(adapterFromStateDict(config, embed([5])).modules.get('embed')!.magnitude!.shape).toEqual([5]);
    expect(() => adapterFromStateDict(config, embed([7]))).toThrow(
      /"base_model\.model\.embed\.lora_magnitude_vector" must be \[5\].*embedding dimension/,
    );
    expect(() => adapterFromStateDict(config, embed())).toThrow(
      /use_dora is set but "base_model\.model\.embed\.lora_magnitude_vector" is missing/,
    );
  });

  it('loading into a model: a magnitude that does not fit the layer is rejected before anything changes', () => {
    const model = embeddingModel(1);
    const ids = embeddingIds();
    const before = values(model.predict(ids) as tf.Tensor);
    const peft = getPeftModel(runtime, model, { r: 1, target_modules: ['head'] }, { adapterName: 'x' });
    const adapter: LoraAdapter = {
      config,
      modules: new Map([
        [
          'embed',
          {
            kind: 'embedding',
            loraA: floatTensor([1, 7]),
            loraB: floatTensor([5, 1]),
            magnitude: floatTensor([6]),
          },
        ],
      ]),
      savedModules: new Map(),
    };
    expect(() => peft.loadAdapter(adapter, 'bad')).toThrow(
      /tensor "base_model\.model\.embed\.lora_magnitude_vector" has shape \[6\] but layer "embed" .*needs \[5\]/,
    );
    expect(peft.adapterNames).toEqual(['x']);
    expect(values(model.predict(ids) as tf.Tensor)).toEqual(before);
    // A consistent adapter round-trips through the file format into the same model.
    const good: LoraAdapter = {
      ...adapter,
      modules: new Map([['embed', { ...adapter.modules.get('embed')!, magnitude: floatTensor([5]) }]]),
    };
    const decoded = decodeAdapter(...(Object.values(encodeAdapter(good)) as [string, Uint8Array]));
    expect(() => peft.loadAdapter(decoded, 'good')).not.toThrow();
  });
});
