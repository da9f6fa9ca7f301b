import { createRandom, type ProgressCallback, parseOptions } from '@modelsmith/core-tensor';
import { peftError } from '../errors.js';
import type { PeftModel } from '../layers/peft-model.js';
import type { Tf, TfLayersModel, TfRuntime, TfTensor, TfVariable } from '../layers/tf-types.js';
import { type TrainOptionsInput, trainOptionsSchema } from './train-options.js';

export interface TrainResult {
  /** Mean training loss per epoch. */
  readonly epochLosses: number[];
  readonly steps: number;
}

export interface TrainInput {
  /** `[n, ...]` inputs and `[n, ...]` targets (one-hot for the cross-entropy losses). */
  readonly inputs: TfTensor;
  readonly targets: TfTensor;
  readonly onProgress?: ProgressCallback;
  /** Per-variable 0/1 masks multiplied into the gradients (LT-SFT trains only masked entries). */
  readonly gradientMasks?: readonly (TfTensor | undefined)[];
}

function lossFunction(tf: Tf, loss: string) {
  return (targets: TfTensor, predictions: TfTensor): TfTensor => {
    if (loss === 'softmaxCrossEntropy') return tf.losses.softmaxCrossEntropy(targets, predictions);
    if (loss === 'meanSquaredError') return tf.losses.meanSquaredError(targets, predictions);
    // Probabilities in (predictions from a softmax layer).
    return tf.metrics.categoricalCrossentropy(targets, predictions).mean();
  };
}

/**
 * Minimises the loss of `model` over `variables` only, with mini-batches and a seeded shuffle.
 * The model's own weights stay untouched unless listed in `variables` (full fine-tuning passes all).
 */
export async function trainVariables(
  runtime: TfRuntime,
  model: TfLayersModel,
  variables: readonly TfVariable[],
  input: TrainInput,
  optionsInput: TrainOptionsInput = {},
): Promise<TrainResult> {
  const options = parseOptions('peft', 'train options', trainOptionsSchema, optionsInput);
  const tf = runtime.tf;
  const n = input.inputs.shape[0]!;
  if (input.targets.shape[0] !== n) {
    throw peftError(
      'E_SHAPE_MISMATCH',
      `training inputs have ${n} examples but targets have ${input.targets.shape[0]}`,
    );
  }
  if (variables.length === 0)
    throw peftError('E_CONFIG', 'no trainable variables: add or activate an adapter first');
  const optimizer =
    options.optimizer === 'adam' ? tf.train.adam(options.learningRate) : tf.train.sgd(options.learningRate);
  const loss = lossFunction(tf, options.loss);
  const batchesPerEpoch = Math.ceil(n / options.batchSize);
  const totalSteps = Math.min(options.maxSteps ?? Number.POSITIVE_INFINITY, batchesPerEpoch * options.epochs);
  const epochLosses: number[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < options.epochs && steps < totalSteps; epoch++) {
      const order = options.shuffle
        ? createRandom(options.seed, 'shuffle', epoch).permutation(n)
        : Int32Array.from({ length: n }, (_, i) => i);
      let sum = 0;
      let count = 0;
      for (let start = 0; start < n && steps < totalSteps; start += options.batchSize) {
        const indices = tf.tensor1d(order.subarray(start, Math.min(n, start + options.batchSize)), 'int32');
        const value = tf.tidy(() => {
          const x = tf.gather(input.inputs, indices);
          const y = tf.gather(input.targets, indices);
          const f = () => loss(y, model.apply(x, { training: true }) as TfTensor) as never;
          if (!input.gradientMasks) return optimizer.minimize(f, true, [...variables])!;
          const { value: cost, grads } = tf.variableGrads(f, [...variables]);
          const masked: Record<string, TfTensor> = {};
          variables.forEach((variable, i) => {
            const grad = grads[variable.name]!;
            const mask = input.gradientMasks![i];
            masked[variable.name] = mask ? tf.mul(grad, mask) : grad;
          });
          optimizer.applyGradients(masked as never);
          return cost;
        });
        indices.dispose();
        sum += (await value.data())[0]!;
        value.dispose();
        count++;
        steps++;
        input.onProgress?.({ done: steps, total: totalSteps, label: `epoch ${epoch + 1}` });
      }
      epochLosses.push(sum / count);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochLosses, steps };
}

/** Trains the active adapters of a `PeftModel` (the base weights stay frozen). */
export function trainPeftModel(
  runtime: TfRuntime,
  peft: PeftModel,
  input: TrainInput,
  options: TrainOptionsInput = {},
): Promise<TrainResult> {
  return trainVariables(runtime, peft.model, peft.trainableVariables(), input, options);
}
