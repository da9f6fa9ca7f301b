import { join } from 'node:path';
import { createTensor, type Tensor, type Tf, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { diagonalFisher } from '@modelsmith/merge';
import { createMlp, loadTensorsIntoMlp, MLP_LAYERS } from './mlp.js';
import { type DigitSet, PIXELS } from './mnist-tasks.js';
import { floatWeights, type TrainedModel } from './train-models.js';

/**
 * The diagonal empirical Fisher of one expert on its own task's training digits, written as a
 * checkpoint with the expert's tensor names and layout (tfjs kernels `[in, out]` transposed to
 * `[out, in]`), as `fisherMergeCheckpoints` expects.
 */
export async function saveExpertFisher(
  tf: Tf,
  expert: TrainedModel,
  train: DigitSet,
  directory: string,
  examples: number,
): Promise<string> {
  const model = createMlp(tf, 0);
  loadTensorsIntoMlp(tf, model, floatWeights(expert.weights));
  const count = Math.min(examples, train.count);
  const inputs = tf.tensor2d(train.images.subarray(0, count * PIXELS), [count, PIXELS]);
  const fisher = await diagonalFisher(tf, model, inputs, Array.from(train.labels.subarray(0, count)), {
    output: 'logits',
  });
  inputs.dispose();
  // trainableWeights come in layer order: kernel then bias of fc1, then of fc2.
  const values = model.trainableWeights.map((weight) => fisher[weight.name]!);
  model.dispose();
  const tensors: Record<string, Tensor> = {};
  MLP_LAYERS.forEach(({ layer, inputs: fanIn, outputs }, index) => {
    const kernel = values[2 * index]!;
    const weight = new Float32Array(fanIn * outputs);
    for (let i = 0; i < fanIn; i++) {
      for (let o = 0; o < outputs; o++) weight[o * fanIn + i] = kernel[i * outputs + o]!;
    }
    tensors[`${layer}.weight`] = createTensor('F32', [outputs, fanIn], weight);
    tensors[`${layer}.bias`] = createTensor('F32', [outputs], values[2 * index + 1]!);
  });
  const path = join(directory, `fisher-${expert.name}.safetensors`);
  await writeSafetensorsFile(path, tensors, {
    producer: 'modelsmith demo',
    kind: 'diagonal empirical Fisher',
  });
  return path;
}
