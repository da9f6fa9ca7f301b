import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import { alphaSchema, checkSameLength, finiteArray, numericArraySchema } from '../core/validate.js';
import { PACKAGE_NAME } from '../errors.js';
import { cqrScores } from './regression-scores.js';

const numeric = numericArraySchema;

export const cqrSchema = z
  .object({
    calY: numeric,
    /** Calibration predictions of the lower (α/2) and upper (1−α/2) quantile models. */
    calLower: numeric,
    calUpper: numeric,
    testLower: numeric,
    testUpper: numeric,
    alpha: z.union([alphaSchema, z.array(alphaSchema).min(1)]),
    /**
     * `true` (default, Romano et al. 2019): one score max(lo−y, y−hi), both ends moved by its
     * ⌈(n+1)(1−α)⌉-th value. `false`: lo−y and y−hi calibrated separately at α/2 each.
     */
    symmetric: z.boolean().default(true),
  })
  .strict();
export type CqrOptions = z.input<typeof cqrSchema>;

export interface CqrInterval {
  readonly alpha: number;
  readonly k: number;
  /** Symmetric: the shared correction Q. Asymmetric: the upper-end correction. */
  readonly threshold: number;
  /** Asymmetric only: the lower-end correction. */
  readonly lowerThreshold?: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Conformalized quantile regression: [lo − Q, hi + Q] (or per-end corrections when asymmetric). */
export function cqr(options: CqrOptions): { scores: Float64Array; intervals: CqrInterval[] } {
  const opts = parseOptions(PACKAGE_NAME, 'options', cqrSchema, options);
  const alphas = Array.isArray(opts.alpha) ? opts.alpha : [opts.alpha as number];
  checkSameLength({ testLower: opts.testLower, testUpper: opts.testUpper });
  const testLo = finiteArray(opts.testLower, 'testLower');
  const testHi = finiteArray(opts.testUpper, 'testUpper');
  const scores = cqrScores(opts.calY, opts.calLower, opts.calUpper);
  const n = scores.length;
  let loScores: Float64Array | undefined;
  let hiScores: Float64Array | undefined;
  if (!opts.symmetric) {
    const y = finiteArray(opts.calY, 'calY');
    const lo = finiteArray(opts.calLower, 'calLower');
    const hi = finiteArray(opts.calUpper, 'calUpper');
    loScores = new Float64Array(n);
    hiScores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      loScores[i] = lo[i]! - y[i]!;
      hiScores[i] = y[i]! - hi[i]!;
    }
  }
  const work = Float64Array.from(scores);
  const intervals = alphas.map((alpha): CqrInterval => {
    const lower = new Float64Array(testLo.length);
    const upper = new Float64Array(testLo.length);
    if (loScores && hiScores) {
      const k = conformalRank(n, alpha / 2);
      const qLo = orderStatistic(loScores, k);
      const qHi = orderStatistic(hiScores, k);
      for (let j = 0; j < lower.length; j++) {
        lower[j] = testLo[j]! - qLo;
        upper[j] = testHi[j]! + qHi;
      }
      return { alpha, k, threshold: qHi, lowerThreshold: qLo, lower, upper };
    }
    const k = conformalRank(n, alpha);
    const q = orderStatistic(work, k);
    for (let j = 0; j < lower.length; j++) {
      lower[j] = testLo[j]! - q;
      upper[j] = testHi[j]! + q;
    }
    return { alpha, k, threshold: q, lower, upper };
  });
  return { scores, intervals };
}
