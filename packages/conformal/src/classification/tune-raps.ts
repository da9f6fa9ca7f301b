import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import {
  alphaSchema,
  checkSameLength,
  labelArray,
  type NumericArray,
  probabilityMatrix,
} from '../core/validate.js';
import { PACKAGE_NAME } from '../errors.js';
import { rowScores } from './class-scores.js';
import { predictSet, trueLabelScores } from './split-conformal-classification.js';

export const tuneRapsSchema = z
  .object({
    /** A held-out tuning slice of the calibration data (MAPIE uses 20%), not reused for calibration. */
    probabilities: z.array(z.any()),
    labels: z.custom<NumericArray>((v) => v !== null && typeof v === 'object'),
    alpha: alphaSchema,
    /** λ grid (MAPIE's default). */
    lambdas: z.array(z.number().min(0).finite()).min(1).default([0.001, 0.01, 0.1, 0.2, 0.5]),
  })
  .strict();
export type TuneRapsOptions = z.input<typeof tuneRapsSchema>;

/**
 * RAPS parameter tuning (Angelopoulos et al. 2021, MAPIE): k_reg = the conformal (1−α) quantile of the
 * true-label ranks; λ = the grid value minimizing the mean set size of non-randomized RAPS (last label
 * included) calibrated and evaluated on the tuning slice.
 */
export function tuneRaps(options: TuneRapsOptions): { kReg: number; lambda: number; meanSetSizes: number[] } {
  const opts = parseOptions(PACKAGE_NAME, 'options', tuneRapsSchema, options);
  const probs = probabilityMatrix(opts.probabilities, 'probabilities');
  checkSameLength({ probabilities: opts.probabilities, labels: opts.labels });
  const labels = labelArray(opts.labels, probs.numClasses, 'labels');
  const ranks = trueLabelScores(probs, labels, { score: 'topk', lambda: 0, kReg: 0 }, () => 1);
  const kRank = orderStatistic(ranks, conformalRank(probs.n, opts.alpha));
  const kReg = Number.isFinite(kRank) ? kRank : probs.numClasses;
  const K = probs.numClasses;
  const order = new Int32Array(K);
  const scratch = new Float64Array(K);
  const meanSetSizes = opts.lambdas.map((lambda) => {
    const params = { score: 'raps' as const, lambda, kReg };
    const scores = trueLabelScores(probs, labels, params, () => 1);
    const q = orderStatistic(scores, conformalRank(probs.n, opts.alpha));
    let total = 0;
    for (let i = 0; i < probs.n; i++) {
      rowScores(probs.data, i, K, params, 1, order, scratch);
      total += predictSet(probs, i, () => q, params, 1, true, order, scratch).length;
    }
    return total / Math.max(1, probs.n);
  });
  let best = 0;
  meanSetSizes.forEach((s, i) => {
    if (s < meanSetSizes[best]!) best = i;
  });
  return { kReg, lambda: opts.lambdas[best]!, meanSetSizes };
}
