import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank, lowerConformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import {
  alphaSchema,
  checkSameLength,
  finiteArray,
  numericArraySchema,
  positiveArray,
} from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { absoluteResidualScores, gammaScores, normalizedResidualScores } from './regression-scores.js';

const numeric = numericArraySchema;

export const splitConformalRegressionSchema = z
  .object({
    /** Calibration labels. */
    calY: numeric,
    /** Calibration point predictions ŷ. */
    calPredictions: numeric,
    /** Test point predictions. */
    testPredictions: numeric,
    /** Miscoverage level(s); a number or a list. */
    alpha: z.union([alphaSchema, z.array(alphaSchema).min(1)]),
    /** `absolute` |y−ŷ|, `normalized` |y−ŷ|/σ, `gamma` (y−ŷ)/ŷ (asymmetric, ŷ > 0). */
    score: z.enum(['absolute', 'normalized', 'gamma']).default('absolute'),
    /** Difficulty σ for calibration points (normalized score). */
    calSigma: numeric.optional(),
    /** Difficulty σ for test points (normalized score). */
    testSigma: numeric.optional(),
  })
  .strict();
export type SplitConformalRegressionOptions = z.input<typeof splitConformalRegressionSchema>;

export interface ConformalInterval {
  readonly alpha: number;
  /** Rank of the upper threshold (⌈(n+1)(1−α)⌉, or ⌈(n+1)(1−α/2)⌉ for gamma). */
  readonly k: number;
  /** The score threshold q̂ (for gamma: the upper signed-score quantile). */
  readonly threshold: number;
  /** Gamma only: lower signed-score quantile (rank ⌊(n+1)α/2⌋). */
  readonly lowerThreshold?: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface SplitConformalRegressionResult {
  /** Calibration nonconformity scores (raw, unsorted). */
  readonly scores: Float64Array;
  /** One entry per α, in the order given. */
  readonly intervals: ConformalInterval[];
}

/**
 * Split conformal regression. Absolute: ŷ ± q̂. Normalized: ŷ ± q̂·σ(x). Gamma: signed relative
 * residuals r = (y−ŷ)/ŷ with separate ends, [ŷ(1 + r_lo), ŷ(1 + r_hi)], r_hi the ⌈(n+1)(1−α/2)⌉-th and
 * r_lo the ⌊(n+1)α/2⌋-th smallest (−∞ when 0). Infinite bounds when the ranks fall outside 1..n.
 */
export function splitConformalRegression(
  options: SplitConformalRegressionOptions,
): SplitConformalRegressionResult {
  const opts = parseOptions(PACKAGE_NAME, 'options', splitConformalRegressionSchema, options);
  const alphas = Array.isArray(opts.alpha) ? opts.alpha : [opts.alpha as number];
  const test = finiteArray(opts.testPredictions, 'testPredictions');
  let scores: Float64Array;
  let testSigma: Float64Array | undefined;
  if (opts.score === 'normalized') {
    if (!opts.calSigma || !opts.testSigma) {
      throw conformalError(
        'E_INPUT',
        'the normalized score needs calSigma and testSigma (a difficulty estimate per point)',
      );
    }
    scores = normalizedResidualScores(opts.calY, opts.calPredictions, opts.calSigma);
    checkSameLength({ testPredictions: test, testSigma: opts.testSigma });
    testSigma = positiveArray(opts.testSigma, 'testSigma');
  } else if (opts.score === 'gamma') {
    scores = gammaScores(opts.calY, opts.calPredictions);
    for (let j = 0; j < test.length; j++) {
      if (!(test[j]! > 0))
        throw conformalError('E_INPUT', `testPredictions[${j}] is ${test[j]}; the gamma score needs ŷ > 0`);
    }
  } else {
    scores = absoluteResidualScores(opts.calY, opts.calPredictions);
  }
  const n = scores.length;
  const work = Float64Array.from(scores);
  const intervals = alphas.map((alpha): ConformalInterval => {
    const lower = new Float64Array(test.length);
    const upper = new Float64Array(test.length);
    if (opts.score === 'gamma') {
      const k = conformalRank(n, alpha / 2);
      const hiQ = orderStatistic(work, k);
      const loQ = orderStatistic(work, lowerConformalRank(n, alpha / 2));
      for (let j = 0; j < test.length; j++) {
        lower[j] = test[j]! * (1 + loQ);
        upper[j] = test[j]! * (1 + hiQ);
      }
      return { alpha, k, threshold: hiQ, lowerThreshold: loQ, lower, upper };
    }
    const k = conformalRank(n, alpha);
    const q = orderStatistic(work, k);
    fillSymmetric(test, q, testSigma, lower, upper);
    return { alpha, k, threshold: q, lower, upper };
  });
  return { scores, intervals };
}

/** ŷ ± q (·σ). Infinite q gives (−∞, +∞) even with σ scaling. */
export function fillSymmetric(
  center: Float64Array,
  q: number,
  sigma: Float64Array | undefined,
  lower: Float64Array,
  upper: Float64Array,
): void {
  for (let j = 0; j < center.length; j++) {
    const half = sigma ? q * sigma[j]! : q;
    lower[j] = center[j]! - half;
    upper[j] = center[j]! + half;
  }
}
