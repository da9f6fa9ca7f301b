import { createRuntime, type Runtime } from '@modelsmith/core-tensor';
import * as tf from '@tensorflow/tfjs';

/** Test runtime on the deterministic cpu backend, sharing the tfjs instance the tests build models with. */
export function cpuRuntime(): Promise<Runtime> {
  return createRuntime({ backend: 'cpu', lib: tf });
}

/** The wasm backend (about 10× faster than cpu for the MNIST-sized tests). */
export function wasmRuntime(): Promise<Runtime> {
  return createRuntime({ backend: 'wasm', lib: tf });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Deterministic pseudo-random values in [-1, 1) (a fixed LCG, independent of the code under test). */
export function lcg(n: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** A two-layer MLP with seeded weights. */
export function tinyMlp(inputs = 6, hidden = 8, outputs = 4, seed = 1): tf.Sequential {
  const model = tf.sequential({ name: 'mlp' });
  model.add(
    tf.layers.dense({
      units: hidden,
      activation: 'relu',
      inputShape: [inputs],
      name: 'fc1',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 1, stddev: 0.1 }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: outputs,
      name: 'fc2',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      biasInitializer: tf.initializers.randomNormal({ seed: seed + 3, stddev: 0.1 }),
    }),
  );
  return model;
}

/** The tiny-MLP batch shared by the layer tests: inputs [5, 6] (fixed LCG values). */
export function mlpInputs(): tf.Tensor2D {
  return tf.tensor2d(lcg(5 * 6, 11), [5, 6]);
}

/** Regression targets [5, 4] for `mlpInputs` (fixed LCG values). */
export function mlpTargets(): tf.Tensor2D {
  return tf.tensor2d(lcg(5 * 4, 12), [5, 4]);
}

/** The model's outputs on `input` (default: `mlpInputs()`) as a plain array. */
export function predictValues(model: tf.LayersModel, input: tf.Tensor = mlpInputs()): number[] {
  return Array.from((model.predict(input) as tf.Tensor).dataSync());
}

/** The kernel (first weight) of layer `i` as a plain array. */
export function kernelValues(model: tf.LayersModel, i: number): number[] {
  return Array.from(model.layers[i]!.getWeights()[0]!.dataSync());
}

/**
 * Embedding(7 → 5, 3 ids) → flatten → Dense(2), seeded. `stddev` of the table's normal init: tfjs's
 * default 0.05, or 1 like nn.Embedding (DoRA tests: magnitudes ≈ √7 stay positive while training).
 */
export function embeddingModel(stddev = 0.05): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({
      inputDim: 7,
      outputDim: 5,
      inputLength: 3,
      name: 'embed',
      embeddingsInitializer: tf.initializers.randomNormal({ seed: 1, stddev }),
    }),
  );
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 2,
      name: 'head',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    }),
  );
  return model;
}
