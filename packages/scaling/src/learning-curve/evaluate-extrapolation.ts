import type { ProgressCallback } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';
import { type ExtrapolateCurveOptions, extrapolateCurve } from './extrapolate-curve.js';

export interface CutoffScore {
  /** Fraction of the curve observed. */
  readonly cutoff: number;
  /** Mean log predictive density of the final observed value (LC-PFN's main score). */
  readonly meanLogLikelihood: number;
  /** Mean squared error of the predictive mean at the final point. */
  readonly mse: number;
  /** Fraction of curves whose final value falls in the central 90% predictive interval. */
  readonly coverage90: number;
  readonly curves: number;
}

/**
 * LC-PFN's evaluation protocol: for each cutoff fraction, observe the first ⌈cutoff·T⌉ points of each curve
 * (values on LC-PFN's [0, 1] increasing scale, x = 1..T), predict the last point, and score the log-likelihood
 * and squared error of that prediction. The predictive density is the mixture over posterior draws of
 * N(f_θ(T), σ_θ²).
 */
export function evaluateExtrapolation(
  curves: readonly ArrayLike<number>[],
  options: {
    readonly cutoffs?: readonly number[];
    readonly sampler?: Omit<ExtrapolateCurveOptions, 'horizon' | 'seed' | 'quantiles' | 'at'>;
    readonly seed?: number;
    readonly onProgress?: ProgressCallback;
  } = {},
): CutoffScore[] {
  const cutoffs = options.cutoffs ?? [0.1, 0.2, 0.4, 0.8];
  if (curves.length === 0) throw scalingError('E_INPUT', 'evaluateExtrapolation needs at least one curve');
  const total = cutoffs.length * curves.length;
  let done = 0;
  return cutoffs.map((cutoff) => {
    let ll = 0;
    let se = 0;
    let covered = 0;
    curves.forEach((curve, index) => {
      const T = curve.length;
      const observed = Math.max(2, Math.ceil(cutoff * T));
      if (observed >= T)
        throw scalingError('E_INPUT', `cutoff ${cutoff} leaves nothing to predict in curve ${index}`);
      const y = Array.from({ length: observed }, (_, i) => curve[i]!);
      const r = extrapolateCurve(
        { y },
        {
          ...options.sampler,
          horizon: T,
          priorLength: T,
          seed: (options.seed ?? 0) + index,
          quantiles: [0.05, 0.95],
        },
      );
      const target = curve[T - 1]!;
      const { mean, sigma } = r.horizonDraws;
      // log mean_s N(target; mean_s, sigma_s) by log-sum-exp.
      let max = Number.NEGATIVE_INFINITY;
      const logs = new Float64Array(mean.length);
      for (let s = 0; s < mean.length; s++) {
        const z = (target - mean[s]!) / sigma[s]!;
        logs[s] = -0.5 * z * z - Math.log(sigma[s]!) - 0.5 * Math.log(2 * Math.PI);
        if (logs[s]! > max) max = logs[s]!;
      }
      let sum = 0;
      for (let s = 0; s < logs.length; s++) sum += Math.exp(logs[s]! - max);
      ll += max + Math.log(sum / logs.length);
      se += (r.mean[r.mean.length - 1]! - target) ** 2;
      const lo = r.quantiles[0]!.values.at(-1)!;
      const hi = r.quantiles[1]!.values.at(-1)!;
      if (target >= lo && target <= hi) covered++;
      done++;
      options.onProgress?.({ done, total, label: `cutoff ${cutoff}` });
    });
    const m = curves.length;
    return { cutoff, meanLogLikelihood: ll / m, mse: se / m, coverage90: covered / m, curves: m };
  });
}
