import {
  checkAlpha,
  checkSameLength,
  finiteArray,
  type NumericArray,
  positiveArray,
} from '../core/validate.js';
import { prepareWeighted, weightedQuantileSorted } from '../core/weighted-quantile.js';

/**
 * Weighted split conformal under covariate shift (Tibshirani, Barber, Candès, Ramdas 2019): one threshold
 * per test point, q̂(x) = (1−α)-quantile of Σ_i p_i(x) δ_{s_i} + p_{n+1}(x) δ_{+∞} with
 * p_i(x) = w(X_i)/(Σ_j w(X_j) + w(x)). `weights` are likelihood ratios dP_test/dP_train (any scale).
 */
export function weightedConformalThresholds(
  calScores: NumericArray,
  calWeights: NumericArray,
  testWeights: NumericArray,
  alpha: number,
): Float64Array {
  checkAlpha(alpha);
  checkSameLength({ calScores, calWeights });
  const cal = prepareWeighted(
    finiteArray(calScores, 'calScores'),
    positiveArray(calWeights, 'calWeights', true),
  );
  const tw = positiveArray(testWeights, 'testWeights', true);
  return Float64Array.from(tw, (w) => weightedQuantileSorted(cal, w, alpha));
}

/** Weighted split-conformal intervals ŷ ± q̂(x) for absolute-residual scores. */
export function weightedSplitConformalRegression(input: {
  calY: NumericArray;
  calPredictions: NumericArray;
  calWeights: NumericArray;
  testPredictions: NumericArray;
  testWeights: NumericArray;
  alpha: number;
}): { thresholds: Float64Array; lower: Float64Array; upper: Float64Array } {
  checkSameLength({ calY: input.calY, calPredictions: input.calPredictions });
  checkSameLength({ testPredictions: input.testPredictions, testWeights: input.testWeights });
  const y = finiteArray(input.calY, 'calY');
  const p = finiteArray(input.calPredictions, 'calPredictions');
  const scores = Float64Array.from(y, (v, i) => Math.abs(v - p[i]!));
  const thresholds = weightedConformalThresholds(scores, input.calWeights, input.testWeights, input.alpha);
  const test = finiteArray(input.testPredictions, 'testPredictions');
  return {
    thresholds,
    lower: Float64Array.from(test, (v, j) => v - thresholds[j]!),
    upper: Float64Array.from(test, (v, j) => v + thresholds[j]!),
  };
}
