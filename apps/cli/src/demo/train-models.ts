import type { ProgressCallback, Tensor, Tf } from '@modelsmith/core-tensor';
import { createMlp, loadTensorsIntoMlp, mlpToTensors, trainClassifier } from './mlp.js';
import { applyTask, type DigitSet, type DigitSplits, EXPERT_TASKS } from './mnist-tasks.js';

export interface TrainingPlan {
  readonly baseEpochs: number;
  readonly expertEpochs: number;
  readonly batchSize: number;
  readonly seed: number;
}

export interface TrainedModel {
  readonly name: string;
  readonly kind: 'base' | 'expert';
  readonly task: string;
  readonly weights: Record<string, Tensor>;
}

/** Each expert task's train/calibration/test digits (the transformation seeded per split). */
export function buildTaskSets(splits: DigitSplits, seed: number) {
  return EXPERT_TASKS.map((task) => ({
    task,
    train: applyTask(splits.train, task, seed + 1),
    calibration: applyTask(splits.calibration, task, seed + 2),
    test: applyTask(splits.test, task, seed + 3),
  }));
}

/** Trains the base model on the original digits. */
export function trainBase(
  tf: Tf,
  train: DigitSet,
  plan: TrainingPlan,
  onProgress?: ProgressCallback,
): TrainedModel {
  const model = createMlp(tf, plan.seed);
  trainClassifier(tf, model, train, {
    epochs: plan.baseEpochs,
    batchSize: plan.batchSize,
    learningRate: 1e-3,
    seed: plan.seed,
    label: 'base model',
    ...(onProgress ? { onProgress } : {}),
  });
  const weights = mlpToTensors(model);
  model.dispose();
  return { name: 'base', kind: 'base', task: 'original', weights };
}

/** Fine-tunes every weight of a copy of the base on one task. */
export function fineTuneExpert(
  tf: Tf,
  base: TrainedModel,
  taskName: string,
  train: DigitSet,
  plan: TrainingPlan,
  onProgress?: ProgressCallback,
): TrainedModel {
  const model = createMlp(tf, plan.seed);
  loadTensorsIntoMlp(tf, model, floatWeights(base.weights));
  trainClassifier(tf, model, train, {
    epochs: plan.expertEpochs,
    batchSize: plan.batchSize,
    learningRate: 1e-3,
    seed: plan.seed,
    label: `expert ${taskName}`,
    ...(onProgress ? { onProgress } : {}),
  });
  const weights = mlpToTensors(model);
  model.dispose();
  return { name: `expert-${taskName}`, kind: 'expert', task: taskName, weights };
}

export function floatWeights(weights: Record<string, Tensor>): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(weights).map(([name, tensor]) => [name, tensor.data as Float32Array]),
  );
}
