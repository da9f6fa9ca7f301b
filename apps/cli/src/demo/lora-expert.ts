import type { ProgressCallback, Tf } from '@modelsmith/core-tensor';
import { getPeftModel } from '@modelsmith/peft';
import { createMlp, loadTensorsIntoMlp, mlpToTensors, trainClassifier } from './mlp.js';
import type { DigitSet } from './mnist-tasks.js';
import { floatWeights, type TrainedModel, type TrainingPlan } from './train-models.js';

export const LORA_RANK = 4;

export interface LoraExpert extends TrainedModel {
  readonly trainableParameters: number;
  readonly totalParameters: number;
}

/**
 * Fine-tunes a LoRA adapter (rank 4 on both dense layers) on one task with @modelsmith/peft,
 * then merges it into the weights so it can be merged and evaluated like any checkpoint.
 */
export function trainLoraExpert(
  tf: Tf,
  base: TrainedModel,
  taskName: string,
  train: DigitSet,
  plan: TrainingPlan,
  onProgress?: ProgressCallback,
): LoraExpert {
  const model = createMlp(tf, plan.seed);
  loadTensorsIntoMlp(tf, model, floatWeights(base.weights));
  const peft = getPeftModel(
    { tf },
    model,
    { r: LORA_RANK, lora_alpha: 2 * LORA_RANK, target_modules: ['fc1', 'fc2'] },
    { seed: plan.seed },
  );
  const counts = peft.parameterCounts();
  trainClassifier(tf, model, train, {
    epochs: plan.expertEpochs,
    batchSize: plan.batchSize,
    learningRate: 2e-3,
    seed: plan.seed,
    variables: peft.trainableVariables(),
    label: `LoRA expert ${taskName}`,
    ...(onProgress ? { onProgress } : {}),
  });
  const merged = peft.mergeAndUnload();
  const weights = mlpToTensors(merged);
  merged.dispose();
  return {
    name: `lora-${taskName}`,
    kind: 'expert',
    task: taskName,
    weights,
    trainableParameters: counts.trainable,
    totalParameters: counts.total,
  };
}
