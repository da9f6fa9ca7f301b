import type { Tf } from '@modelsmith/core-tensor';
import { type Tensor, toFloat32 } from '@modelsmith/core-tensor';
import { bootstrap, ece } from '@modelsmith/eval';
import type { DemoModel, Interval } from './demo-results.js';
import { createMlp, loadTensorsIntoMlp, type Predictions, predict } from './mlp.js';
import type { DigitSet } from './mnist-tasks.js';

export interface TaskTestSet {
  readonly name: string;
  readonly test: DigitSet;
}

export interface EvaluatedModel {
  readonly summary: DemoModel;
  /** Per task, in task order. */
  readonly predictions: readonly Predictions[];
}

const mean = (sample: readonly number[]) => sample.reduce((sum, value) => sum + value, 0) / sample.length;

/** Accuracy with a seeded 95% percentile-bootstrap interval over test digits. */
export function accuracyInterval(correct: Uint8Array, seed: number, rounds: number): Interval {
  const result = bootstrap(Array.from(correct), mean, { rounds, method: 'percentile', seed });
  return { estimate: result.estimate, low: result.low, high: result.high };
}

/** Runs one model on every task's test digits and summarises accuracy and calibration. */
export function evaluateModel(
  tf: Tf,
  description: Omit<
    DemoModel,
    'accuracy' | 'meanAccuracy' | 'expectedCalibrationError' | 'totalParameters'
  > & {
    totalParameters?: number;
  },
  weights: Record<string, Tensor>,
  tasks: readonly TaskTestSet[],
  options: { seed: number; bootstrapRounds: number },
): EvaluatedModel {
  const model = createMlp(tf, 0);
  loadTensorsIntoMlp(
    tf,
    model,
    Object.fromEntries(Object.entries(weights).map(([name, t]) => [name, toFloat32(t)])),
  );
  const predictions = tasks.map((task) => predict(tf, model, task.test));
  model.dispose();
  const accuracy: Record<string, Interval> = {};
  tasks.forEach((task, index) => {
    accuracy[task.name] = accuracyInterval(
      predictions[index]!.correct,
      options.seed,
      options.bootstrapRounds,
    );
  });
  const pooledCorrect = concatBytes(predictions.map((p) => p.correct));
  const confidence = predictions.flatMap((p) => topConfidence(p));
  const totalParameters = Object.values(weights).reduce((sum, t) => sum + t.data.length, 0);
  return {
    summary: {
      ...description,
      totalParameters: description.totalParameters ?? totalParameters,
      accuracy,
      meanAccuracy: accuracyInterval(pooledCorrect, options.seed, options.bootstrapRounds),
      expectedCalibrationError: ece(confidence, pooledCorrect, { bins: 15 }),
    },
    predictions,
  };
}

/** The largest class probability of each row. */
export function topConfidence(predictions: Predictions): number[] {
  const classes = predictions.probabilities.length / predictions.correct.length;
  const out: number[] = [];
  for (let i = 0; i < predictions.correct.length; i++) {
    let best = 0;
    for (let c = 0; c < classes; c++) best = Math.max(best, predictions.probabilities[i * classes + c]!);
    out.push(best);
  }
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
