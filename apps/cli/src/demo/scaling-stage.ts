import type { ProgressCallback, Tf } from '@modelsmith/core-tensor';
import { fitSaturatingPowerLaw, powerLawPredictionBand } from '@modelsmith/scaling';
import type { DemoScaling } from './demo-results.js';
import { createMlp, predict, trainClassifier } from './mlp.js';
import { type DigitSet, type DigitSplits, PIXELS } from './mnist-tasks.js';

function head(set: DigitSet, count: number): DigitSet {
  return { images: set.images.subarray(0, count * PIXELS), labels: set.labels.subarray(0, count), count };
}

/**
 * Trains the base architecture from scratch on nested subsets of the training digits (a fixed
 * number of optimizer steps each), fits L(D) = E + B·D^(−β) to the test losses of all but the
 * largest run, checks the prediction for the largest, and extrapolates with a 90% band.
 */
export function dataScaling(
  tf: Tf,
  splits: DigitSplits,
  options: { seed: number; quick: boolean; batchSize: number; onProgress?: ProgressCallback },
): DemoScaling {
  const largest = splits.train.count;
  const shares = options.quick ? [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1] : [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];
  const sizes = shares.map((share) => Math.floor(largest * share));
  const steps = options.quick ? 120 : 300;
  const losses = sizes.map((size) => {
    const train = head(splits.train, size);
    const model = createMlp(tf, options.seed);
    trainClassifier(tf, model, train, {
      epochs: Math.max(1, Math.round((steps * options.batchSize) / size)),
      batchSize: options.batchSize,
      learningRate: 1e-3,
      seed: options.seed,
      label: `scaling run on ${size} digits`,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const loss = predict(tf, model, splits.test).loss;
    model.dispose();
    return loss;
  });
  const fitted = sizes.slice(0, -1);
  const fit = fitSaturatingPowerLaw(fitted, losses.slice(0, -1));
  const grid = [...sizes, largest * 2, largest * 4];
  const extrapolation = powerLawPredictionBand(fitted, losses.slice(0, -1), grid, {
    level: 0.9,
    rounds: options.quick ? 100 : 200,
    seed: options.seed,
  }).map((band) => ({ size: band.x, prediction: band.prediction, low: band.low, high: band.high }));
  return {
    law: 'L(D) = E + B·D^(−β)',
    sizes,
    losses,
    parameters: { ...fit.params },
    extrapolation,
    heldOut: {
      size: largest,
      observed: losses[losses.length - 1]!,
      predicted: extrapolation.find((band) => band.size === largest)!.prediction,
    },
  };
}
