import type * as tfjs from '@tensorflow/tfjs';
import { mergeError } from '../errors.js';

export interface DiagonalFisherOptions {
  /** What the model outputs: class `probabilities` (a softmax head, default) or `logits`. */
  readonly output?: 'probabilities' | 'logits';
  /** Use at most this many examples (default: all). */
  readonly maxExamples?: number;
}

/**
 * Diagonal EMPIRICAL Fisher of a tfjs LayersModel classifier: the mean over examples of the squared
 * gradient of log p(y | x) w.r.t. every trainable weight, with y the gold label (Matena & Raffel
 * discuss this cheaper variant next to the exact expectation over labels). Gradients are taken one
 * example at a time, so the cost is one backward pass per example. Returns one Float32Array per
 * trainable weight, keyed by the weight's name (`model.trainableWeights[i].name`), ready for
 * `fisherMerge`. Pass the `tf` namespace you use (any backend).
 */
export async function diagonalFisher(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  inputs: tfjs.Tensor,
  labels: tfjs.Tensor | readonly number[],
  options: DiagonalFisherOptions = {},
): Promise<Record<string, Float32Array>> {
  const count = Math.min(inputs.shape[0] ?? 0, options.maxExamples ?? Number.POSITIVE_INFINITY);
  if (count < 1) throw mergeError('E_INPUT', 'diagonalFisher: need at least one example');
  const labelArray = Array.isArray(labels) ? [...labels] : Array.from(await (labels as tfjs.Tensor).data());
  if (labelArray.length < count)
    throw mergeError('E_INPUT', `diagonalFisher: ${labelArray.length} labels for ${count} examples`);
  const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tfjs.Variable }).read());
  const sums = variables.map((v) => new Float64Array(v.size));
  for (let e = 0; e < count; e++) {
    const label = labelArray[e]!;
    if (!Number.isInteger(label) || label < 0)
      throw mergeError('E_INPUT', `diagonalFisher: label ${e} is ${label}; labels are class indices`);
    const grads = tf.tidy(() => {
      const x = inputs.slice([e], [1]);
      const { grads } = tf.variableGrads(() => {
        const out = model.apply(x, { training: false }) as tfjs.Tensor;
        const logProbabilities =
          options.output === 'logits' ? tf.logSoftmax(out) : tf.log(tf.maximum(out, 1e-30));
        // A one-hot product instead of gather: gather's gradient needs UnsortedSegmentSum, which
        // the wasm backend lacks.
        const flat = logProbabilities.reshape([-1]);
        return flat
          .mul(tf.oneHot(tf.tensor1d([label], 'int32'), flat.size).reshape([-1]))
          .sum() as tfjs.Scalar;
      }, variables);
      return variables.map((v) => grads[v.name]!);
    });
    for (const [i, g] of grads.entries()) {
      const values = g.dataSync();
      const sum = sums[i]!;
      for (let k = 0; k < values.length; k++) sum[k]! += values[k]! * values[k]!;
      g.dispose();
    }
  }
  const out: Record<string, Float32Array> = {};
  model.trainableWeights.forEach((weight, i) => {
    out[weight.name] = Float32Array.from(sums[i]!, (s) => s / count);
  });
  return out;
}
