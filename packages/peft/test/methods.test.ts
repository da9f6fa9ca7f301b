import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BottleneckAdapterModel,
  Ia3Model,
  LolduModel,
  layerNormVariables,
  luDecompose,
  SsfModel,
  trainVariables,
} from '../src/index.js';
import {
  cpuRuntime,
  kernelValues as kernel,
  lcg,
  maxAbsDiff,
  predictValues as predict,
  tinyMlp,
  mlpInputs as x,
  mlpTargets as y,
} from './helpers.js';

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

const train = (model: tf.LayersModel, variables: tf.Variable[]) =>
  trainVariables(
    runtime,
    model,
    variables,
    { inputs: x(), targets: y() },
    { loss: 'meanSquaredError', learningRate: 0.05, epochs: 10, batchSize: 5 },
  );

describe('IA³', () => {
  it('ones are the identity; merged = unmerged after training; unmerge restores; PEFT key shapes', async () => {
    const model = tinyMlp();
    const base = predict(model);
    const k0 = [kernel(model, 0), kernel(model, 1)];
    const ia3 = new Ia3Model(runtime, model, { targetModules: ['fc1', 'fc2'], feedforwardModules: ['fc2'] });
    expect(predict(model)).toEqual(base);
    await train(model, ia3.trainableVariables());
    const tuned = predict(model);
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-3);
    ia3.merge();
    expect(maxAbsDiff(predict(model), tuned)).toBeLessThan(1e-5);
    ia3.unmerge();
    expect(maxAbsDiff(kernel(model, 0), k0[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(kernel(model, 1), k0[1]!)).toBeLessThan(1e-5);
    const shapes = Object.fromEntries([...ia3.stateDict()].map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({ 'base_model.model.fc1.ia3_l': [8, 1], 'base_model.model.fc2.ia3_l': [1, 8] });
    const state = ia3.stateDict();
    ia3.unload();
    // Load the saved vectors into a fresh model: same outputs as the trained one.
    const fresh = tinyMlp();
    const loaded = new Ia3Model(runtime, fresh, {
      targetModules: ['fc1', 'fc2'],
      feedforwardModules: ['fc2'],
    });
    loaded.loadStateDict(state);
    expect(maxAbsDiff(predict(fresh), tuned)).toBeLessThan(1e-6);
    const bad = new Map([['base_model.model.fc1.ia3_l', state.get('base_model.model.fc2.ia3_l')!]]);
    expect(() => loaded.loadStateDict(bad)).toThrow(
      /"base_model\.model\.fc1\.ia3_l" has shape \[1, 8\], expected \[8, 1\]/,
    );
  });
});

describe('SSF', () => {
  it('is the identity at init and folds exactly into Dense kernels/biases and LayerNorm', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 8,
          activation: 'relu',
          inputShape: [6],
          name: 'fc1',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.layerNormalization({ name: 'ln' }),
        tf.layers.dense({
          units: 4,
          name: 'fc2',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    const base = predict(model);
    const ssf = new SsfModel(runtime, model, { targetModules: ['fc1', 'ln', 'fc2'] });
    expect(predict(model)).toEqual(base);
    await train(model, ssf.trainableVariables());
    const tuned = predict(model);
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-3);
    const folded = ssf.fold();
    expect(maxAbsDiff(predict(folded), tuned)).toBeLessThan(1e-5);
    expect(layerNormVariables(folded).length).toBe(2);
  });
});

describe('LoLDU', () => {
  it('pivoted LU reconstructs W = P·L·U', () => {
    const rows = 5;
    const cols = 4;
    const a = lcg(rows * cols, 9);
    const { l, u, perm, k } = luDecompose(a, rows, cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += l[i * k + c]! * u[c * cols + j]!;
        expect(Math.abs(sum - a[perm[i]! * cols + j]!)).toBeLessThan(1e-6);
      }
  });

  it('is exact at init (within float32 rounding), trains r+1 numbers per layer, merges and unmerges', async () => {
    const model = tinyMlp();
    const base = predict(model);
    const loldu = new LolduModel(runtime, model, { targetModules: ['fc1', 'fc2'], r: 3, alpha: 6 });
    expect(maxAbsDiff(predict(model), base)).toBeLessThan(1e-5);
    expect(loldu.trainableParameterCount()).toBe(2 * (3 + 1));
    await train(model, loldu.trainableVariables());
    const tuned = predict(model);
    expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-4);
    const residual = kernel(model, 0);
    loldu.merge();
    expect(maxAbsDiff(predict(model), tuned)).toBeLessThan(1e-5);
    loldu.unmerge();
    expect(maxAbsDiff(kernel(model, 0), residual)).toBeLessThan(1e-5);
    const plain = loldu.mergeAndUnload();
    expect(maxAbsDiff(predict(plain), tuned)).toBeLessThan(1e-5);
  });
});

describe('bottleneck adapters', () => {
  for (const preset of ['houlsby', 'pfeiffer', 'parallel', 'scaled_parallel'] as const) {
    it(`${preset}: identity at init (W_up = 0), trains, unload restores the base exactly`, async () => {
      const model = tinyMlp();
      const base = predict(model);
      const adapters = new BottleneckAdapterModel(runtime, model, {
        targetModules: ['fc1'],
        preset,
        bottleneck: 3,
        seed: 1,
      });
      expect(predict(model)).toEqual(base);
      await train(model, adapters.trainableVariables());
      expect(maxAbsDiff(predict(model), base)).toBeGreaterThan(1e-4);
      adapters.unload();
      expect(predict(model)).toEqual(base);
    });
  }
});
