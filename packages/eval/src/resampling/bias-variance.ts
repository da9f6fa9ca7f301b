import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';

export const biasVarianceOptionsSchema = z
  .object({
    loss: z.enum(['0-1', 'mse']).default('mse'),
    rounds: z.number().int().min(2).default(200),
    seed: z.number().int().default(0),
  })
  .strict();
export type BiasVarianceOptions = z.input<typeof biasVarianceOptionsSchema>;

export interface BiasVarianceResult {
  readonly expectedLoss: number;
  /** mse: mean squared bias; 0-1: P(main prediction ≠ y) (Domingos). */
  readonly bias: number;
  readonly variance: number;
}

/**
 * Bias–variance decomposition by bootstrap retraining (mlxtend `bias_variance_decomp`): `fitPredict` receives
 * bootstrap indices into the training set and returns predictions for the fixed test set `yTest`.
 */
export function biasVarianceDecomp(
  nTrain: number,
  yTest: ArrayLike<number>,
  fitPredict: (trainIndices: Int32Array, round: number) => ArrayLike<number>,
  options: BiasVarianceOptions = {},
): BiasVarianceResult {
  const { loss, rounds, seed } = parseOptions(
    PACKAGE,
    'biasVarianceDecomp options',
    biasVarianceOptionsSchema,
    options,
  );
  if (!Number.isInteger(nTrain) || nTrain < 1)
    throw evalError('E_INPUT', `nTrain must be a positive integer, got ${nTrain}`);
  const m = yTest.length;
  const preds: ArrayLike<number>[] = [];
  for (let r = 0; r < rounds; r++) {
    const rng = createRandom(seed, 'eval', 'bias-variance', r);
    const idx = new Int32Array(nTrain);
    for (let i = 0; i < nTrain; i++) idx[i] = rng.integer(i, nTrain);
    const p = fitPredict(idx, r);
    if (p.length !== m)
      throw evalError(
        'E_SHAPE_MISMATCH',
        `fitPredict returned ${p.length} predictions in round ${r}, expected ${m}`,
      );
    preds.push(p);
  }
  let expectedLoss = 0;
  let bias = 0;
  let varianceSum = 0;
  for (let j = 0; j < m; j++) {
    const y = yTest[j]!;
    if (loss === 'mse') {
      let mean = 0;
      for (const p of preds) mean += p[j]!;
      mean /= rounds;
      bias += (mean - y) ** 2;
      for (const p of preds) {
        expectedLoss += (p[j]! - y) ** 2;
        varianceSum += (p[j]! - mean) ** 2;
      }
    } else {
      // Main prediction = mode; ties go to the smallest label (numpy bincount/argmax).
      const counts = new Map<number, number>();
      for (const p of preds) counts.set(p[j]!, (counts.get(p[j]!) ?? 0) + 1);
      let mode = Number.POSITIVE_INFINITY;
      let best = -1;
      for (const [label, c] of counts)
        if (c > best || (c === best && label < mode)) [mode, best] = [label, c];
      if (mode !== y) bias += 1;
      for (const p of preds) {
        if (p[j] !== y) expectedLoss += 1;
        if (p[j] !== mode) varianceSum += 1;
      }
    }
  }
  return { expectedLoss: expectedLoss / (m * rounds), bias: bias / m, variance: varianceSum / (m * rounds) };
}
