import { checkAlpha, type NumericArray } from '../core/validate.js';
import { intervalMetrics } from '../metrics/coverage-metrics.js';
import { meanPredictiveCrps } from './predictive-crps.js';
import { type PredictiveSystem, predictiveInterval } from './predictive-system.js';

export interface PredictiveSystemEvaluation {
  /** Fraction of y outside the central (1−α) interval (crepes `error`). */
  readonly error: number;
  /** Mean / median interval width (crepes `eff_mean` / `eff_med`; +∞ when an interval is unbounded). */
  readonly meanWidth: number;
  readonly medianWidth: number;
  /** Mean CRPS of the predictive distributions (crepes `CRPS`; see `predictiveCrps` for the convention). */
  readonly crps: number;
}

/** crepes-style `evaluate` of a conformal predictive system on a labelled test set. */
export function evaluatePredictiveSystem(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  y: NumericArray,
  options: { alpha: number; testSigma?: NumericArray },
): PredictiveSystemEvaluation {
  const alpha = checkAlpha(options.alpha);
  const sigma = options.testSigma === undefined ? {} : { testSigma: options.testSigma };
  const crps = meanPredictiveCrps(system, testPredictions, y, sigma);
  const { lower, upper } = predictiveInterval(system, testPredictions, alpha, sigma);
  const { coverage, meanWidth } = intervalMetrics(y, lower, upper);
  const widths = Float64Array.from(lower, (lo, j) => upper[j]! - lo).sort();
  const half = widths.length >> 1;
  const medianWidth = widths.length % 2 === 1 ? widths[half]! : (widths[half - 1]! + widths[half]!) / 2;
  return { error: 1 - coverage, meanWidth, medianWidth, crps };
}
