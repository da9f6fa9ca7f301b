import { mean, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank, lowerConformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import {
  alphaSchema,
  checkAlpha,
  finiteArray,
  type NumericArray,
  numericArraySchema,
} from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { type BootstrapFit, outOfBagPredictions } from '../regression/jackknife-after-bootstrap.js';

/**
 * EnbPI intervals around `center` from a residual window (Xu & Xie 2021). Symmetric: center ± the
 * ⌈(n+1)(1−α)⌉-th smallest |ε|. Asymmetric: [center + ε_(⌊(n+1)β⌋), center + ε_(⌈(n+1)(1−α+β)⌉)] on signed
 * residuals, 0 < β < α. Only an asymptotic guarantee (under strong mixing), no finite-sample one.
 */
export function enbpiIntervals(
  center: NumericArray,
  residuals: NumericArray,
  alpha: number,
  options: { symmetric?: boolean; beta?: number } = {},
): { lower: Float64Array; upper: Float64Array } {
  checkAlpha(alpha);
  const c = finiteArray(center, 'center');
  const r = finiteArray(residuals, 'residuals');
  const n = r.length;
  let lo: number;
  let hi: number;
  if (options.symmetric ?? true) {
    const q = orderStatistic(Float64Array.from(r, Math.abs), conformalRank(n, alpha));
    lo = -q;
    hi = q;
  } else {
    const beta = options.beta ?? alpha / 2;
    if (!(beta > 0 && beta < alpha))
      throw conformalError('E_INVALID_OPTIONS', `beta is ${beta}; it must lie in (0, alpha)`);
    lo = orderStatistic(Float64Array.from(r), lowerConformalRank(n, beta));
    hi = orderStatistic(r, conformalRank(n, alpha - beta));
  }
  return { lower: Float64Array.from(c, (v) => v + lo), upper: Float64Array.from(c, (v) => v + hi) };
}

/** Rolls the residual window: appends the new residuals and drops as many of the oldest. */
export function enbpiUpdateResiduals(residuals: NumericArray, newResiduals: NumericArray): Float64Array {
  const r = finiteArray(residuals, 'residuals');
  const add = finiteArray(newResiduals, 'newResiduals');
  const out = new Float64Array(r.length);
  const keep = Math.max(0, r.length - add.length);
  out.set(r.subarray(r.length - keep), 0);
  out.set(add.subarray(add.length - (r.length - keep)), keep);
  return out;
}

export const enbpiSchema = z
  .object({
    /** Training labels, in time order. */
    y: numericArraySchema,
    numTest: z.number().int().min(0),
    numBootstraps: z.number().int().min(2).default(20),
    aggregation: z.enum(['mean', 'median']).default('mean'),
    alpha: alphaSchema,
    symmetric: z.boolean().default(true),
    beta: z.number().positive().optional(),
    seed: z.number().int().safe().default(0),
    fit: z.custom<BootstrapFit>((v) => typeof v === 'function', 'must be a function'),
  })
  .strict();
export type EnbpiOptions = z.input<typeof enbpiSchema>;

/**
 * EnbPI: bootstrap ensemble through a `fit(sampleIdx)` callback; out-of-bag signed residuals
 * y_i − φ({f̂_b(x_i) : i ∉ S_b}); test centre = φ over i of the leave-i-out aggregates (the ensemble
 * aggregate, not a single bootstrap model: MAPIE #495). Update the window online with
 * `enbpiUpdateResiduals` and recompute with `enbpiIntervals`.
 */
export function enbpi(options: EnbpiOptions): {
  residuals: Float64Array;
  center: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', enbpiSchema, options);
  const y = finiteArray(opts.y, 'y');
  const { signedResiduals, heldOutPredictions } = outOfBagPredictions(y, opts);
  const center = new Float64Array(opts.numTest);
  for (let t = 0; t < opts.numTest; t++) {
    const values = heldOutPredictions.map((row) => row[t]!);
    if (opts.aggregation === 'mean') center[t] = mean(values);
    else {
      values.sort((a, b) => a - b);
      const mid = values.length >> 1;
      center[t] = values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    }
  }
  const intervals = enbpiIntervals(center, signedResiduals, opts.alpha, {
    symmetric: opts.symmetric,
    ...(opts.beta === undefined ? {} : { beta: opts.beta }),
  });
  return { residuals: signedResiduals, center, ...intervals };
}
