import { brownianMaxAbsSf } from '../distributions/brownian-max-abs.js';
import { brownianRangeSf } from '../distributions/brownian-range.js';
import {
  type CumulativeDifferences,
  type CumulativeDifferencesOptions,
  checkSigma,
  cumulativeDifferences,
} from './cumulative-differences.js';

export interface CalibrationTestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/** KS statistic and p-value from already computed cumulative differences (σ > 0 checked). */
export function ksFromDifferences(c: CumulativeDifferences): CalibrationTestResult {
  checkSigma(c, 'Kolmogorov–Smirnov');
  let max = 0;
  for (const d of c.differences) max = Math.max(max, Math.abs(d));
  const statistic = max / c.sigma;
  return { statistic, pValue: brownianMaxAbsSf(statistic) };
}

/** Kuiper statistic and p-value from already computed cumulative differences (σ > 0 checked). */
export function kuiperFromDifferences(c: CumulativeDifferences): CalibrationTestResult {
  checkSigma(c, 'Kuiper');
  let max = 0;
  let min = 0;
  for (const d of c.differences) {
    max = Math.max(max, d);
    min = Math.min(min, d);
  }
  const statistic = (max - min) / c.sigma;
  return { statistic, pValue: brownianRangeSf(statistic) };
}

/**
 * Kolmogorov–Smirnov calibration test (ECCE-MAD; Arrieta-Ibarra et al. 2022, MAPIE
 * `kolmogorov_smirnov_statistic`/`_p_value`): statistic max_k |C_k| / σ over the cumulative differences,
 * p-value P(sup_{[0,1]} |B| > statistic) for a standard Brownian motion B (Tygert 2022). Asymptotic; works for
 * binary positive-class probabilities or top-label confidences with 0/1 correctness.
 */
export function kolmogorovSmirnovCalibrationTest(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: CumulativeDifferencesOptions = {},
): CalibrationTestResult {
  return ksFromDifferences(cumulativeDifferences(confidence, correct, options));
}

/**
 * Kuiper calibration test (ECCE-R): statistic (max_k C_k − min_k C_k) / σ with C_0 = 0 included (the Brownian
 * range starts at B(0) = 0; MAPIE's `kuiper_statistic` leaves C_0 out, which can only make it smaller),
 * p-value P(range of B on [0,1] > statistic) (Feller 1951).
 */
export function kuiperCalibrationTest(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: CumulativeDifferencesOptions = {},
): CalibrationTestResult {
  return kuiperFromDifferences(cumulativeDifferences(confidence, correct, options));
}
