import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank, lowerConformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import {
  alphaSchema,
  checkSameLength,
  finiteArray,
  type NumericArray,
  numericArraySchema,
} from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';

/** Aggregation rules of Barber et al. (2021) for leave-one-out / K-fold models. */
export type CrossConformalMethod =
  | 'jackknife+'
  | 'jackknife-minmax'
  | 'jackknife'
  | 'cv+'
  | 'cv-minmax'
  | 'cv';

export const crossConformalIntervalsSchema = z
  .object({
    /** R_i = |Y_i − μ̂_{−i}(X_i)| (LOO) or |Y_i − μ̂_{−S(i)}(X_i)| (K-fold). */
    residuals: numericArraySchema,
    /**
     * Test predictions of the model that did not see point i: `heldOutPredictions[i][t]` = μ̂_{−i}(x_t).
     * For K-fold give `foldPredictions` + `folds` instead.
     */
    heldOutPredictions: z.array(numericArraySchema).optional(),
    /** K-fold: `foldPredictions[k][t]` = test predictions of the model trained without fold k. */
    foldPredictions: z.array(numericArraySchema).optional(),
    /** K-fold: fold index of each training point. */
    folds: numericArraySchema.optional(),
    /** Plain jackknife / CV: test predictions of the model fitted on all training data. */
    fullPredictions: numericArraySchema.optional(),
    alpha: z.union([alphaSchema, z.array(alphaSchema).min(1)]),
    method: z
      .enum(['jackknife+', 'jackknife-minmax', 'jackknife', 'cv+', 'cv-minmax', 'cv'])
      .default('jackknife+'),
  })
  .strict();
export type CrossConformalIntervalsOptions = z.input<typeof crossConformalIntervalsSchema>;

export interface CrossConformalInterval {
  readonly alpha: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Jackknife+, jackknife-minmax, jackknife, CV+, CV-minmax and CV intervals from held-out predictions
 * (Barber, Candès, Ramdas, Tibshirani 2021). `+`: [q⁻{μ̂_{−i}(x) − R_i}, q⁺{μ̂_{−i}(x) + R_i}] with q⁺ the
 * ⌈(1−α)(n+1)⌉-th and q⁻ the ⌊α(n+1)⌋-th smallest (±∞ outside 1..n). minmax: [min_i μ̂_{−i}(x) − q⁺{R},
 * max_i μ̂_{−i}(x) + q⁺{R}]. Plain: μ̂(x) ± q⁺{R} (no guarantee).
 */
export function crossConformalIntervals(options: CrossConformalIntervalsOptions): CrossConformalInterval[] {
  const opts = parseOptions(PACKAGE_NAME, 'options', crossConformalIntervalsSchema, options);
  const alphas = Array.isArray(opts.alpha) ? opts.alpha : [opts.alpha as number];
  const residuals = finiteArray(opts.residuals, 'residuals');
  const n = residuals.length;
  const rows = heldOutRows(opts, n);
  const m = opts.fullPredictions?.length ?? rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== m) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `held-out predictions for point ${i} have ${row.length} test values; expected ${m}`,
      );
    }
  });
  const plain = opts.method === 'jackknife' || opts.method === 'cv';
  const minmax = opts.method === 'jackknife-minmax' || opts.method === 'cv-minmax';
  const full = plain ? requireFull(opts.fullPredictions, m) : undefined;
  const sortedResidualWork = Float64Array.from(residuals);
  const lowerWork = new Float64Array(n);
  const upperWork = new Float64Array(n);
  return alphas.map((alpha) => {
    const kHi = conformalRank(n, alpha);
    const kLo = lowerConformalRank(n, alpha);
    const lower = new Float64Array(m);
    const upper = new Float64Array(m);
    const qR = plain || minmax ? orderStatistic(sortedResidualWork, kHi) : 0;
    for (let t = 0; t < m; t++) {
      if (full) {
        lower[t] = full[t]! - qR;
        upper[t] = full[t]! + qR;
      } else if (minmax) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          lo = Math.min(lo, rows[i]![t]!);
          hi = Math.max(hi, rows[i]![t]!);
        }
        lower[t] = lo - qR;
        upper[t] = hi + qR;
      } else {
        for (let i = 0; i < n; i++) {
          const mu = rows[i]![t]!;
          lowerWork[i] = mu - residuals[i]!;
          upperWork[i] = mu + residuals[i]!;
        }
        lower[t] = orderStatistic(lowerWork, kLo);
        upper[t] = orderStatistic(upperWork, kHi);
      }
    }
    return { alpha, lower, upper };
  });
}

function requireFull(full: NumericArray | undefined, m: number): Float64Array {
  if (!full)
    throw conformalError(
      'E_INPUT',
      'plain jackknife / CV need fullPredictions (the model fitted on all training data)',
    );
  if (full.length !== m)
    throw conformalError('E_SHAPE_MISMATCH', `fullPredictions has ${full.length} values; expected ${m}`);
  return finiteArray(full, 'fullPredictions');
}

function heldOutRows(opts: z.output<typeof crossConformalIntervalsSchema>, n: number): Float64Array[] {
  if (opts.heldOutPredictions) {
    checkSameLength({ residuals: opts.residuals, heldOutPredictions: opts.heldOutPredictions });
    return opts.heldOutPredictions.map((row, i) => finiteArray(row, `heldOutPredictions[${i}]`));
  }
  if (opts.foldPredictions && opts.folds) {
    checkSameLength({ residuals: opts.residuals, folds: opts.folds });
    const byFold = opts.foldPredictions.map((row, k) => finiteArray(row, `foldPredictions[${k}]`));
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const k = opts.folds[i]!;
      const row = byFold[k];
      if (!Number.isInteger(k) || !row) {
        throw conformalError(
          'E_INPUT',
          `folds[${i}] is ${k}; fold indices must be integers in 0..${byFold.length - 1}`,
        );
      }
      out.push(row);
    }
    return out;
  }
  if (opts.fullPredictions && (opts.method === 'jackknife' || opts.method === 'cv')) return [];
  throw conformalError(
    'E_INPUT',
    'pass heldOutPredictions (leave-one-out) or foldPredictions with folds (K-fold)',
  );
}

/** A model fitted on `trainIndices`, predicting the held-out training points and every test point. */
export type FitPredict = (
  trainIndices: Int32Array,
  heldOutIndices: Int32Array,
) => { heldOut: NumericArray; test: NumericArray };

export const crossConformalRegressionSchema = z
  .object({
    /** Training labels. */
    y: numericArraySchema,
    /** Number of test points the callback predicts. */
    numTest: z.number().int().min(0),
    /** `'loo'` (jackknife family) or a number of folds K ≥ 2 (CV family). */
    folds: z.union([z.literal('loo'), z.number().int().min(2)]).default('loo'),
    method: z.enum(['jackknife+', 'jackknife-minmax', 'jackknife', 'cv+', 'cv-minmax', 'cv']).optional(),
    alpha: z.union([alphaSchema, z.array(alphaSchema).min(1)]),
    /** Seed for the random fold assignment (K-fold). */
    seed: z.number().int().safe().default(0),
    fit: z.custom<FitPredict>((v) => typeof v === 'function', 'must be a function'),
    /** Plain jackknife / CV only: test predictions of the model on all training data. */
    fitFull: z.custom<() => NumericArray>((v) => typeof v === 'function').optional(),
  })
  .strict();
export type CrossConformalRegressionOptions = z.input<typeof crossConformalRegressionSchema>;

/**
 * Drives the refits for the jackknife / CV family through a callback: `fit(trainIdx, heldOutIdx)` is
 * called once per point (LOO) or per fold, then `crossConformalIntervals` aggregates.
 */
export function crossConformalRegression(options: CrossConformalRegressionOptions): {
  residuals: Float64Array;
  folds: Int32Array;
  intervals: CrossConformalInterval[];
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', crossConformalRegressionSchema, options);
  const y = finiteArray(opts.y, 'y');
  const n = y.length;
  const loo = opts.folds === 'loo';
  const numFolds = loo ? n : Math.min(opts.folds as number, n);
  const folds = new Int32Array(n);
  if (loo)
    folds.forEach((_, i) => {
      folds[i] = i;
    });
  else {
    // random permutation, then round-robin into folds: sizes differ by at most one
    const perm = createRandom(opts.seed, 'conformal', 'folds').permutation(n);
    perm.forEach((p, r) => {
      folds[p] = r % numFolds;
    });
  }
  const residuals = new Float64Array(n);
  const foldPredictions: Float64Array[] = [];
  for (let k = 0; k < numFolds; k++) {
    const heldOut: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === k ? heldOut : train).push(i);
    const result = opts.fit(Int32Array.from(train), Int32Array.from(heldOut));
    if (result.heldOut.length !== heldOut.length || result.test.length !== opts.numTest) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `fit for fold ${k} returned ${result.heldOut.length} held-out and ${result.test.length} test predictions; expected ${heldOut.length} and ${opts.numTest}`,
      );
    }
    const pred = finiteArray(result.heldOut, `fold ${k} heldOut`);
    heldOut.forEach((i, r) => {
      residuals[i] = Math.abs(y[i]! - pred[r]!);
    });
    foldPredictions.push(finiteArray(result.test, `fold ${k} test`));
  }
  const method = opts.method ?? (loo ? 'jackknife+' : 'cv+');
  const plain = method === 'jackknife' || method === 'cv';
  const intervals = crossConformalIntervals({
    residuals,
    foldPredictions,
    folds,
    alpha: opts.alpha,
    method,
    ...(plain && opts.fitFull ? { fullPredictions: opts.fitFull() } : {}),
  });
  return { residuals, folds, intervals };
}
