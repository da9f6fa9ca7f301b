import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAdapter, encodeAdapter, getPeftModel, trainPeftModel } from '../src/index.js';
import {
  cpuRuntime,
  kernelValues as kernel,
  lcg,
  maxAbsDiff,
  predictValues as predict,
  mlpTargets as target,
  tinyMlp,
  mlpInputs as x,
} from './helpers.js';

let runtime: { tf: typeof tf };
beforeAll(async () => {
  runtime = await cpuRuntime();
});

describe('LoRA on Dense', () => {
  it('equals the base model exactly at init (B = 0)', () => {
    const model = tinyMlp();
    const before = predict(model);
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['fc1', 'fc2'] },
      { seed: 3 },
    );
    expect(predict(peft.model)).toEqual(before);
    const fc1 = peft.getAdapter().modules.get('fc1')!;
    expect(fc1.loraA.shape).toEqual([2, 6]);
    expect(fc1.loraB.shape).toEqual([8, 2]);
    expect(Array.from(fc1.loraB.data).every((v) => v === 0)).toBe(true);
    // Kaiming-uniform(a=√5) bound 1/√in
    expect(Math.max(...Array.from(fc1.loraA.data, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(6));
  });

  it('forward matches y = act(xW + b + (α/r)·x·A·B) computed on the host', async () => {
    const model = tinyMlp();
    const peft = getPeftModel(runtime, model, { r: 2, lora_alpha: 6, target_modules: ['fc1'] }, { seed: 5 });
    const layer = peft.loraLayer('fc1')!;
    const state = layer.adapters.get('default')!;
    state.b.assign(tf.tensor2d(lcg(16, 4), [2, 8]));
    const input = lcg(5 * 6, 11);
    const w = model.layers[0]!.getWeights();
    const W = w[0]!.dataSync();
    const b = w[1]!.dataSync();
    const A = state.a.dataSync();
    const B = state.b.dataSync();
    const hidden = new Float64Array(5 * 8);
    for (let n = 0; n < 5; n++) {
      for (let o = 0; o < 8; o++) {
        let z = b[o]!;
        for (let i = 0; i < 6; i++) z += input[n * 6 + i]! * W[i * 8 + o]!;
        let lora = 0;
        for (let k = 0; k < 2; k++) {
          let xa = 0;
          for (let i = 0; i < 6; i++) xa += input[n * 6 + i]! * A[i * 2 + k]!;
          lora += xa * B[k * 8 + o]!;
        }
        hidden[n * 8 + o] = Math.max(0, z + 3 * lora);
      }
    }
    const hiddenModel = tf.model({
      inputs: model.inputs,
      outputs: model.layers[0]!.output as tf.SymbolicTensor,
    });
    const got = (hiddenModel.predict(tf.tensor2d(input, [5, 6])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(got, hidden)).toBeLessThan(1e-5);
  });

  it('trains only the adapter; merged = unmerged within 1e-5; unmerge restores W₀ within 1e-5', async () => {
    const model = tinyMlp();
    const kernels = [kernel(model, 0), kernel(model, 1)];
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['fc1', 'fc2'] },
      { seed: 3 },
    );
    const result = await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 20, batchSize: 5, seed: 1 },
    );
    expect(result.steps).toBe(20);
    expect(result.epochLosses.at(-1)!).toBeLessThan(result.epochLosses[0]!);
    expect(kernel(model, 0)).toEqual(kernels[0]);
    expect(kernel(model, 1)).toEqual(kernels[1]);
    const unmerged = predict(peft.model);
    expect(
      maxAbsDiff(
        unmerged,
        peft.withAdaptersDisabled(() => predict(peft.model)),
      ),
    ).toBeGreaterThan(1e-3);
    peft.merge();
    expect(maxAbsDiff(predict(peft.model), unmerged)).toBeLessThan(1e-5);
    expect(maxAbsDiff(kernel(model, 0), kernels[0]!)).toBeGreaterThan(1e-4);
    peft.unmerge();
    expect(maxAbsDiff(kernel(model, 0), kernels[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(kernel(model, 1), kernels[1]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(predict(peft.model), unmerged)).toBeLessThan(1e-5);
    const plain = peft.mergeAndUnload();
    expect(maxAbsDiff(predict(plain), unmerged)).toBeLessThan(1e-5);
    expect(plain.layers[0]!.getClassName()).toBe('Dense');
  });

  it('exported adapter loads into a fresh copy of the base model with the same outputs', async () => {
    const model = tinyMlp();
    const peft = getPeftModel(
      runtime,
      model,
      { r: 3, lora_alpha: 3, target_modules: ['fc1', 'fc2'], use_rslora: true },
      { seed: 9 },
    );
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 5, batchSize: 5 },
    );
    const tuned = predict(peft.model);
    const encoded = encodeAdapter(peft.getAdapter());
    const adapter = decodeAdapter(encoded.config, encoded.weights);
    expect(adapter.modules.get('fc2')!.loraA.shape).toEqual([3, 8]);
    expect(adapter.modules.get('fc2')!.loraB.shape).toEqual([4, 3]);
    const fresh = tinyMlp();
    const loaded = getPeftModel(
      runtime,
      fresh,
      { r: 1, target_modules: ['fc1'] },
      { adapterName: 'scratch' },
    );
    loaded.loadAdapter(adapter, 'trained');
    loaded.setAdapter('trained');
    expect(maxAbsDiff(predict(loaded.model), tuned)).toBeLessThan(1e-6);
  });

  it('multiple named adapters sum; disabling gives the base exactly; rank_pattern sets per-module ranks', () => {
    const model = tinyMlp();
    const base = predict(model);
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, target_modules: ['fc1', 'fc2'], rank_pattern: { fc2: 1 } },
      { seed: 1 },
    );
    expect(peft.getAdapter().modules.get('fc2')!.loraA.shape).toEqual([1, 8]);
    peft.addAdapter('second', { r: 4, lora_alpha: 8, target_modules: ['fc2'] });
    for (const name of ['default', 'second']) {
      for (const path of ['fc1', 'fc2']) {
        const state = peft.loraLayer(path)!.adapters.get(name);
        if (state) state.b.assign(tf.randomNormal(state.b.shape, 0, 0.3, 'float32', 7));
      }
    }
    peft.setAdapter('default');
    const first = predict(peft.model);
    peft.setAdapter(['default', 'second']);
    const both = predict(peft.model);
    expect(maxAbsDiff(first, both)).toBeGreaterThan(1e-3);
    peft.disableAdapters();
    expect(predict(peft.model)).toEqual(base);
    peft.enableAdapters();
    // Both merged equals both unmerged.
    peft.merge();
    expect(maxAbsDiff(predict(peft.model), both)).toBeLessThan(1e-5);
    peft.unmerge();
    expect(peft.parameterCounts(['default']).trainable).toBe(2 * 6 + 2 * 8 + 1 * 8 + 1 * 4);
  });

  it('lora_dropout acts in training only: inference is deterministic and merge-consistent', async () => {
    const model = tinyMlp();
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, target_modules: ['fc1'], lora_dropout: 0.5 },
      { seed: 2 },
    );
    const result = await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 5, batchSize: 5 },
    );
    expect(Number.isFinite(result.epochLosses.at(-1)!)).toBe(true);
    const first = predict(peft.model);
    expect(predict(peft.model)).toEqual(first);
    peft.merge();
    expect(maxAbsDiff(predict(peft.model), first)).toBeLessThan(1e-5);
  });

  it('all-linear targets every Dense except the output layer', () => {
    const peft = getPeftModel(runtime, tinyMlp(), { target_modules: 'all-linear', r: 2 });
    expect([...peft.getAdapter().modules.keys()]).toEqual(['fc1']);
  });

  it('walks nested models: paths join layer names with dots', () => {
    const encoder = tinyMlp(6, 8, 4, 5);
    const input = tf.input({ shape: [6] });
    const hidden = encoder.apply(input) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 2, name: 'head' }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output, name: 'outer' });
    const before = Array.from((model.predict(x()) as tf.Tensor).dataSync());
    const peft = getPeftModel(runtime, model, { r: 2, target_modules: ['mlp.fc1'] });
    expect(peft.modulePaths()).toEqual(expect.arrayContaining(['mlp.fc1', 'mlp.fc2', 'head']));
    expect([...peft.getAdapter().modules.keys()]).toEqual(['mlp.fc1']);
    const state = peft.loraLayer('mlp.fc1')!.adapters.get('default')!;
    state.b.assign(tf.ones(state.b.shape));
    const after = Array.from((model.predict(x()) as tf.Tensor).dataSync());
    expect(maxAbsDiff(after, before)).toBeGreaterThan(1e-3);
  });

  it('the name-mapping hook translates tfjs names to HF module paths', () => {
    const mapping = (path: string) => `model.${path.replace('fc', 'layers.')}.proj`;
    const peft = getPeftModel(
      runtime,
      tinyMlp(),
      { target_modules: ['proj'], r: 2 },
      { nameMapping: mapping },
    );
    expect([...peft.getAdapter().modules.keys()]).toEqual(['model.layers.1.proj', 'model.layers.2.proj']);
  });

  it('rejects unknown target modules, unsupported layers and mismatched adapters, naming them', () => {
    expect(() => getPeftModel(runtime, tinyMlp(), { target_modules: ['q_proj'] })).toThrow(
      /target module "q_proj" matches no layer; module paths are: fc1, fc2/,
    );
    const model = tinyMlp();
    const other = getPeftModel(runtime, tinyMlp(8, 8, 4), { r: 2, target_modules: ['fc1'] });
    const peft = getPeftModel(runtime, model, { r: 2, target_modules: ['fc2'] });
    expect(() => peft.loadAdapter(other.getAdapter(), 'bad')).toThrow(
      /tensor "base_model\.model\.fc1\.lora_A\.weight" has shape \[2, 8\] but layer "fc1" \(kernel \[6, 8\]\) needs \[2, 6\]/,
    );
    const norm = tf.sequential({ layers: [tf.layers.layerNormalization({ inputShape: [4], name: 'ln' })] });
    expect(() => getPeftModel(runtime, norm, { target_modules: ['ln'] })).toThrow(
      /"ln" is a LayerNormalization; LoRA wraps Dense, Embedding and Conv2D/,
    );
  });
});

describe('DoRA', () => {
  it('is exact at init, merges within 1e-5 after training and unmerges', async () => {
    const model = tinyMlp();
    const base = predict(model);
    const k0 = kernel(model, 0);
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, lora_alpha: 4, target_modules: ['fc1', 'fc2'], use_dora: true },
      { seed: 2 },
    );
    expect(predict(peft.model)).toEqual(base);
    const magnitude = peft.getAdapter().modules.get('fc1')!.magnitude!;
    // m = column norms of W₀ over the input axis (B = 0).
    const norms = Array.from({ length: 8 }, (_, o) =>
      Math.hypot(...Array.from({ length: 6 }, (_, i) => k0[i * 8 + o]!)),
    );
    expect(maxAbsDiff(magnitude.data, norms)).toBeLessThan(1e-6);
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 10, batchSize: 5 },
    );
    const unmerged = predict(peft.model);
    expect(maxAbsDiff(unmerged, base)).toBeGreaterThan(1e-3);
    peft.merge();
    expect(maxAbsDiff(predict(peft.model), unmerged)).toBeLessThan(1e-5);
    // Merged kernel columns have norm m.
    const merged = kernel(model, 0);
    const m = peft.loraLayer('fc1')!.adapters.get('default')!.magnitude!.dataSync();
    const mergedNorms = Array.from({ length: 8 }, (_, o) =>
      Math.hypot(...Array.from({ length: 6 }, (_, i) => merged[i * 8 + o]!)),
    );
    expect(maxAbsDiff(mergedNorms, m)).toBeLessThan(1e-5);
    peft.unmerge();
    expect(maxAbsDiff(kernel(model, 0), k0)).toBeLessThan(1e-5);
  });
});

describe('PiSSA and OLoRA inits', () => {
  for (const init of ['pissa', 'olora'] as const) {
    it(`${init}: W_res + s·B·A = W₀, outputs equal the base within 1e-5`, () => {
      const model = tinyMlp();
      const base = predict(model);
      const peft = getPeftModel(runtime, model, {
        r: 2,
        lora_alpha: 4,
        target_modules: ['fc1', 'fc2'],
        init_lora_weights: init,
      });
      expect(maxAbsDiff(predict(peft.model), base)).toBeLessThan(1e-5);
      const fc2 = peft.getAdapter().modules.get('fc2')!;
      expect(Array.from(fc2.loraB.data).some((v) => v !== 0)).toBe(true);
    });
  }

  it('subtractMutatedInit exports a rank-2r LoRA that applies to the original W₀', async () => {
    const model = tinyMlp();
    const peft = getPeftModel(runtime, model, {
      r: 2,
      lora_alpha: 4,
      target_modules: ['fc1', 'fc2'],
      init_lora_weights: 'pissa',
    });
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.02, epochs: 5, batchSize: 5 },
    );
    const tuned = predict(peft.model);
    const converted = peft.getAdapter('default', { subtractMutatedInit: true });
    expect(converted.config.r).toBe(4);
    expect(converted.config.lora_alpha).toBe(8);
    expect(converted.modules.get('fc1')!.loraA.shape).toEqual([4, 6]);
    const fresh = getPeftModel(
      runtime,
      tinyMlp(),
      { r: 1, target_modules: ['fc1'] },
      { adapterName: 'scratch' },
    );
    fresh.loadAdapter(converted, 'converted');
    fresh.setAdapter('converted');
    expect(maxAbsDiff(predict(fresh.model), tuned)).toBeLessThan(1e-5);
  });

  it('pissa puts the top singular directions in the adapter: ‖W_res‖ is the tail mass', () => {
    const model = tinyMlp();
    const w = kernel(model, 1); // [8, 4]
    // Frobenius² of W and of W_res; the difference is σ1² + σ2² ≥ half of ‖W‖² for a rank-4 matrix.
    const total = w.reduce((s, v) => s + v * v, 0);
    getPeftModel(runtime, model, { r: 2, target_modules: ['fc2'], init_lora_weights: 'pissa' });
    const residual = kernel(model, 1).reduce((s, v) => s + v * v, 0);
    expect(residual).toBeLessThan(total / 2);
  });
});

describe('modules_to_save', () => {
  it('each adapter trains its own copy; disabling restores the original head; export/load round-trips it', async () => {
    const model = tinyMlp();
    const base = predict(model);
    const head0 = kernel(model, 1);
    const peft = getPeftModel(
      runtime,
      model,
      { r: 2, target_modules: ['fc1'], modules_to_save: ['fc2'] },
      { seed: 1 },
    );
    // trainable: A, B of fc1 and the full fc2 (kernel 8·4 + bias 4)
    expect(peft.parameterCounts().trainable).toBe(2 * 6 + 2 * 8 + 8 * 4 + 4);
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x(), targets: target() },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 10, batchSize: 5 },
    );
    const tuned = predict(peft.model);
    const tunedHead = kernel(model, 1);
    expect(maxAbsDiff(tunedHead, head0)).toBeGreaterThan(1e-3);
    peft.disableAdapters();
    expect(predict(peft.model)).toEqual(base);
    expect(kernel(model, 1)).toEqual(head0);
    peft.enableAdapters();
    expect(predict(peft.model)).toEqual(tuned);
    // A second adapter without modules_to_save sees the original head.
    peft.addAdapter('plain', { r: 1, target_modules: ['fc1'] });
    peft.setAdapter('plain');
    expect(kernel(model, 1)).toEqual(head0);
    const exported = peft.getAdapter('default');
    expect(exported.savedModules.get('fc2.weight')!.shape).toEqual([4, 8]);
    expect(exported.config.modules_to_save).toEqual(['fc2']);
    const fresh = getPeftModel(
      runtime,
      tinyMlp(),
      { r: 1, target_modules: ['fc1'] },
      { adapterName: 'scratch' },
    );
    fresh.loadAdapter(
      decodeAdapter(...(Object.values(encodeAdapter(exported)) as [string, Uint8Array])),
      'loaded',
    );
    fresh.setAdapter('loaded');
    expect(maxAbsDiff(predict(fresh.model), tuned)).toBeLessThan(1e-6);
    const plain = fresh.mergeAndUnload();
    expect(maxAbsDiff(predict(plain), tuned)).toBeLessThan(1e-5);
  });
});
