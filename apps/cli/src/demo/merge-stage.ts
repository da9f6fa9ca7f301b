import { join } from 'node:path';
import {
  openCheckpoint,
  type ProgressCallback,
  type Tensor,
  writeSafetensorsFile,
} from '@modelsmith/core-tensor';
import { fisherMergeCheckpoints, type MergeConfig, mergeCheckpoints } from '@modelsmith/merge';
import type { TrainedModel } from './train-models.js';

/** One merge recipe of the demo, in mergekit's configuration format. */
export interface DemoMergeRecipe {
  readonly name: string;
  readonly method: string;
  readonly config: (paths: { base: string; experts: readonly string[] }) => MergeConfig;
}

const perModel = (experts: readonly string[], parameters: Record<string, number>) =>
  experts.map((model) => ({ model, parameters }));

/** The merges the demo compares; every one goes through `mergeCheckpoints`, like `modelsmith merge`. */
export const DEMO_MERGES: readonly DemoMergeRecipe[] = [
  {
    name: 'uniform soup',
    method: 'linear',
    config: ({ experts }) => ({ merge_method: 'linear', models: perModel(experts, { weight: 1 }) }),
  },
  {
    name: 'task arithmetic',
    method: 'task_arithmetic',
    config: ({ base, experts }) => ({
      merge_method: 'task_arithmetic',
      base_model: base,
      models: perModel(experts, { weight: 0.5 }),
    }),
  },
  {
    name: 'TIES',
    method: 'ties',
    config: ({ base, experts }) => ({
      merge_method: 'ties',
      base_model: base,
      models: perModel(experts, { weight: 1, density: 0.4 }),
    }),
  },
  {
    name: 'DARE-TIES',
    method: 'dare_ties',
    config: ({ base, experts }) => ({
      merge_method: 'dare_ties',
      base_model: base,
      models: perModel(experts, { weight: 1, density: 0.4 }),
    }),
  },
  {
    name: 'breadcrumbs',
    method: 'breadcrumbs',
    config: ({ base, experts }) => ({
      merge_method: 'breadcrumbs',
      base_model: base,
      models: perModel(experts, { weight: 0.5, density: 0.8, gamma: 0.02 }),
    }),
  },
  {
    name: 'PCB',
    method: 'pcb',
    config: ({ base, experts }) => ({
      merge_method: 'pcb',
      base_model: base,
      models: experts.map((model) => ({ model })),
      parameters: { pcb_ratio: 0.1 },
    }),
  },
];

/** A linear merge of a model with itself: the identity, whatever the merge code does with weights. */
export const SELF_MERGE: DemoMergeRecipe = {
  name: 'self merge',
  method: 'linear',
  config: ({ experts }) => ({
    merge_method: 'linear',
    models: [
      { model: experts[0]!, parameters: { weight: 0.3 } },
      { model: experts[0]!, parameters: { weight: 0.7 } },
    ],
  }),
};

/** Writes a trained model as a safetensors checkpoint and returns its path. */
export async function saveCheckpoint(directory: string, model: TrainedModel): Promise<string> {
  const path = join(directory, `${model.name}.safetensors`);
  await writeSafetensorsFile(path, model.weights, { producer: 'modelsmith demo', task: model.task });
  return path;
}

/** Runs one recipe through `mergeCheckpoints` and reads the merged weights back from disk. */
export async function runMerge(
  recipe: DemoMergeRecipe,
  paths: { base: string; experts: readonly string[] },
  outputDirectory: string,
  seed: number,
  onProgress?: ProgressCallback,
): Promise<Record<string, Tensor>> {
  await mergeCheckpoints(recipe.config(paths), {
    outputDirectory,
    seed,
    force: true,
    ...(onProgress ? { onProgress } : {}),
  });
  return readCheckpoint(outputDirectory);
}

/** Fisher-weighted averaging of the experts, each weighted by its diagonal Fisher checkpoint. */
export async function runFisherMerge(
  experts: readonly string[],
  fishers: readonly string[],
  outputDirectory: string,
): Promise<Record<string, Tensor>> {
  await fisherMergeCheckpoints({ models: experts, fishers, outputDirectory, force: true });
  return readCheckpoint(outputDirectory);
}

async function readCheckpoint(outputDirectory: string): Promise<Record<string, Tensor>> {
  const checkpoint = await openCheckpoint(outputDirectory);
  try {
    const weights: Record<string, Tensor> = {};
    for (const info of checkpoint.tensors) weights[info.name] = await checkpoint.read(info.name);
    return weights;
  } finally {
    await checkpoint.close();
  }
}
