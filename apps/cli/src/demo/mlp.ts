import type { Tf } from '@modelsmith/core-tensor';
import { createRandom, createTensor, type ProgressCallback, type Tensor } from '@modelsmith/core-tensor';
import type * as tfjs from '@tensorflow/tfjs';
import { CLASSES, type DigitSet, PIXELS } from './mnist-tasks.js';

export const HIDDEN_UNITS = 128;

/**
 * The demo's classifier: 784 → 128 (ReLU) → 10, as a tfjs Sequential with layers `fc1`, `fc2`.
 * Weights are drawn from modelsmith's keyed generator (He-normal, then Glorot-uniform; zero
 * biases): tfjs's seeded initializers still differ between processes, which would make
 * results.json depend on the run.
 */
export function createMlp(tf: Tf, seed: number): tfjs.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ name: 'fc1', inputShape: [PIXELS], units: HIDDEN_UNITS, activation: 'relu' }),
      tf.layers.dense({ name: 'fc2', units: CLASSES }),
    ],
  });
  const random = createRandom(seed, 'mlp-init');
  const fc1 = new Float32Array(PIXELS * HIDDEN_UNITS);
  const heScale = Math.sqrt(2 / PIXELS);
  for (let i = 0; i < fc1.length; i++) fc1[i] = heScale * random.normal(i);
  const fc2 = new Float32Array(HIDDEN_UNITS * CLASSES);
  const glorotLimit = Math.sqrt(6 / (HIDDEN_UNITS + CLASSES));
  for (let i = 0; i < fc2.length; i++) fc2[i] = glorotLimit * (2 * random.uniform(i) - 1);
  const values = [
    tf.tensor2d(fc1, [PIXELS, HIDDEN_UNITS]),
    tf.zeros([HIDDEN_UNITS]),
    tf.tensor2d(fc2, [HIDDEN_UNITS, CLASSES]),
    tf.zeros([CLASSES]),
  ];
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Variables to train; all trainable weights when omitted. */
  readonly variables?: tfjs.Variable[];
  readonly onProgress?: ProgressCallback;
  readonly label?: string;
}

/** Mini-batch Adam on softmax cross-entropy, with a seeded batch order. Returns the last epoch's mean loss. */
export function trainClassifier(
  tf: Tf,
  model: tfjs.LayersModel,
  data: DigitSet,
  options: TrainOptions,
): number {
  const optimizer = tf.train.adam(options.learningRate);
  const batches = Math.ceil(data.count / options.batchSize);
  const variables =
    options.variables ??
    (model.trainableWeights.map(
      (weight) => (weight as unknown as { val: tfjs.Variable }).val,
    ) as tfjs.Variable[]);
  let lastEpochLoss = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = createRandom(options.seed, 'batch-order', epoch).permutation(data.count);
    let lossSum = 0;
    for (let batch = 0; batch < batches; batch++) {
      const indices = order.subarray(
        batch * options.batchSize,
        Math.min(data.count, (batch + 1) * options.batchSize),
      );
      const { x, y } = gatherBatch(tf, data, indices);
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tfjs.Tensor) as tfjs.Scalar,
        true,
        variables,
      );
      lossSum += loss!.dataSync()[0]!;
      tf.dispose([x, y, loss!]);
      options.onProgress?.({
        done: epoch * batches + batch + 1,
        total: options.epochs * batches,
        label: options.label ?? 'training',
      });
    }
    lastEpochLoss = lossSum / batches;
  }
  optimizer.dispose();
  return lastEpochLoss;
}

function gatherBatch(tf: Tf, data: DigitSet, indices: Int32Array) {
  const pixels = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((source, target) => {
    pixels.set(data.images.subarray(source * PIXELS, (source + 1) * PIXELS), target * PIXELS);
    labels[target] = data.labels[source]!;
  });
  return tf.tidy(() => ({
    x: tf.tensor2d(pixels, [indices.length, PIXELS]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES),
  }));
}

/** Names and layout of the checkpoint tensors: PyTorch `nn.Linear` style, weight `[out, in]`. */
export const MLP_LAYERS = [
  { layer: 'fc1', inputs: PIXELS, outputs: HIDDEN_UNITS },
  { layer: 'fc2', inputs: HIDDEN_UNITS, outputs: CLASSES },
] as const;

/** The model's weights as host tensors (F32), kernels transposed from tfjs `[in, out]` to `[out, in]`. */
export function mlpToTensors(model: tfjs.LayersModel): Record<string, Tensor> {
  const tensors: Record<string, Tensor> = {};
  for (const { layer, inputs, outputs } of MLP_LAYERS) {
    const [kernel, bias] = model.getLayer(layer).getWeights();
    const kernelData = kernel!.dataSync() as Float32Array;
    const weight = new Float32Array(inputs * outputs);
    for (let i = 0; i < inputs; i++) {
      for (let o = 0; o < outputs; o++) weight[o * inputs + i] = kernelData[i * outputs + o]!;
    }
    tensors[`${layer}.weight`] = createTensor('F32', [outputs, inputs], weight);
    tensors[`${layer}.bias`] = createTensor('F32', [outputs], new Float32Array(bias!.dataSync()));
  }
  return tensors;
}

/** Loads host weights (`[out, in]` layout) into a tfjs model of the same architecture. */
export function loadTensorsIntoMlp(
  tf: Tf,
  model: tfjs.LayersModel,
  weights: Record<string, Float32Array>,
): void {
  for (const { layer, inputs, outputs } of MLP_LAYERS) {
    const weight = weights[`${layer}.weight`]!;
    const kernel = new Float32Array(inputs * outputs);
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < inputs; i++) kernel[i * outputs + o] = weight[o * inputs + i]!;
    }
    const values = [tf.tensor2d(kernel, [inputs, outputs]), tf.tensor1d(weights[`${layer}.bias`]!)];
    model.getLayer(layer).setWeights(values);
    tf.dispose(values);
  }
}

export interface Predictions {
  /** `count × 10` softmax probabilities in float64. */
  readonly probabilities: Float64Array;
  readonly predicted: Int32Array;
  readonly correct: Uint8Array;
  readonly accuracy: number;
  /** Mean cross-entropy in nats. */
  readonly loss: number;
}

/** Runs the model on a digit set in batches and returns probabilities and correctness. */
export function predict(tf: Tf, model: tfjs.LayersModel, data: DigitSet, batchSize = 1000): Predictions {
  const probabilities = new Float64Array(data.count * CLASSES);
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(data.count, start + batchSize);
    const batch = tf.tidy(() => {
      const x = tf.tensor2d(data.images.subarray(start * PIXELS, end * PIXELS), [end - start, PIXELS]);
      return tf.softmax(model.apply(x) as tfjs.Tensor);
    });
    probabilities.set(batch.dataSync() as Float32Array, start * CLASSES);
    batch.dispose();
  }
  // Renormalise in float64 so each row sums to 1 to ~1e-16, not float32's ~1e-7.
  for (let row = 0; row < data.count; row++) {
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += probabilities[row * CLASSES + c]!;
    for (let c = 0; c < CLASSES; c++) probabilities[row * CLASSES + c]! /= sum;
  }
  const predicted = new Int32Array(data.count);
  const correct = new Uint8Array(data.count);
  let hits = 0;
  let loss = 0;
  for (let i = 0; i < data.count; i++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) {
      if (probabilities[i * CLASSES + c]! > probabilities[i * CLASSES + best]!) best = c;
    }
    predicted[i] = best;
    correct[i] = best === data.labels[i] ? 1 : 0;
    hits += correct[i]!;
    loss -= Math.log(Math.max(probabilities[i * CLASSES + data.labels[i]!]!, 1e-12));
  }
  return { probabilities, predicted, correct, accuracy: hits / data.count, loss: loss / data.count };
}
