import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAdapter, encodeAdapter, getPeftModel, loraDeltaWeight, trainPeftModel } from '../src/index.js';
import { cpuRuntime, embeddingModel, lcg, maxAbsDiff } from './helpers.js';

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

function convModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 2],
      filters: 4,
      kernelSize: 3,
      strides: 1,
      padding: 'same',
      activation: 'relu',
      name: 'conv',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
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

const weight = (model: tf.LayersModel, name: string) =>
  Array.from(model.getLayer(name).getWeights()[0]!.dataSync());

describe('LoRA on Embedding', () => {
  it('is exact at init (A = 0), trains, merges within 1e-5 and exports lora_embedding_A/B', async () => {
    const model = embeddingModel();
    const ids = tf.tensor2d(
      [
        [0, 3, 6],
        [1, 1, 2],
        [5, 4, 0],
        [6, 2, 3],
      ],
      [4, 3],
    );
    const targets = tf.tensor2d(lcg(8, 5), [4, 2]);
    const predict = () => Array.from((model.predict(ids) as tf.Tensor).dataSync());
    const base = predict();
    const table = weight(model, 'embed');
    const peft = getPeftModel(runtime, model, { r: 2, lora_alpha: 4, target_modules: ['embed'] });
    expect(predict()).toEqual(base);
    await trainPeftModel(
      runtime,
      peft,
      { inputs: ids, targets },
      { loss: 'meanSquaredError', learningRate: 0.1, epochs: 10, batchSize: 4 },
    );
    const tuned = predict();
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-3);
    const adapter = decodeAdapter(
      ...(Object.values(encodeAdapter(peft.getAdapter())) as [string, Uint8Array]),
    );
    const module = adapter.modules.get('embed')!;
    expect(module.kind).toBe('embedding');
    expect(module.loraA.shape).toEqual([2, 7]);
    expect(module.loraB.shape).toEqual([5, 2]);
    peft.merge();
    expect(maxAbsDiff(predict(), tuned)).toBeLessThan(1e-5);
    // The merged table minus the original is PEFT's ΔW = s·(B·A)ᵀ [num, dim] computed from the saved factors.
    const merged = weight(model, 'embed');
    const delta = loraDeltaWeight(module, 2);
    expect(
      maxAbsDiff(
        merged.map((v, i) => v - table[i]!),
        delta,
      ),
    ).toBeLessThan(1e-5);
    peft.unmerge();
    expect(maxAbsDiff(weight(model, 'embed'), table)).toBeLessThan(1e-5);
  });
});

describe('LoRA on Conv2D', () => {
  it('is exact at init, merges within 1e-5, and exports [r,in,kh,kw] / [out,r,1,1] matching the merged kernel', async () => {
    const model = convModel();
    const x = tf.tensor4d(lcg(3 * 6 * 6 * 2, 9), [3, 6, 6, 2]);
    const targets = tf.tensor2d(lcg(6, 10), [3, 2]);
    const predict = () => Array.from((model.predict(x) as tf.Tensor).dataSync());
    const base = predict();
    const kernel0 = weight(model, 'conv');
    const peft = getPeftModel(runtime, model, { r: 2, lora_alpha: 2, target_modules: ['conv'] });
    expect(predict()).toEqual(base);
    await trainPeftModel(
      runtime,
      peft,
      { inputs: x, targets },
      { loss: 'meanSquaredError', learningRate: 0.05, epochs: 10, batchSize: 3 },
    );
    const tuned = predict();
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-4);
    const module = peft.getAdapter().modules.get('conv')!;
    expect(module.loraA.shape).toEqual([2, 2, 3, 3]);
    expect(module.loraB.shape).toEqual([4, 2, 1, 1]);
    peft.merge();
    expect(maxAbsDiff(predict(), tuned)).toBeLessThan(1e-5);
    // PEFT's ΔW [out, in, kh, kw] from the saved factors equals the tfjs kernel change [kh, kw, in, out].
    const delta = loraDeltaWeight(module, 1);
    const merged = weight(model, 'conv');
    let worst = 0;
    for (let h = 0; h < 3; h++)
      for (let w = 0; w < 3; w++)
        for (let i = 0; i < 2; i++)
          for (let o = 0; o < 4; o++) {
            const tfIndex = ((h * 3 + w) * 2 + i) * 4 + o;
            worst = Math.max(
              worst,
              Math.abs(merged[tfIndex]! - kernel0[tfIndex]! - delta[((o * 2 + i) * 3 + h) * 3 + w]!),
            );
          }
    expect(worst).toBeLessThan(1e-5);
  });
});
