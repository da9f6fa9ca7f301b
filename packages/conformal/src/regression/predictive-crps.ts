import { countBelow } from '../core/count-below.js';
import { checkSameLength, finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';
import { type PredictiveSystem, scales } from './predictive-system.js';

/**
 * CRPS of each test object's conformal predictive distribution, exactly, in float64.
 *
 * Convention (crepes' `evaluate(..., metrics=["CRPS"])`): the distribution scored is the empirical one of
 * the n candidate values ŷ_j + σ_j·r_i, F_j(t) = #{i : ŷ_j + σ_j r_i ≤ t}/n — 0 below the smallest and 1
 * above the largest. The smoothed CDF of `predictiveCdf`, (#{r_i < r} + τ(#{r_i = r} + 1))/(n+1), keeps
 * mass τ/(n+1) at −∞ and (1−τ)/(n+1) at +∞, so its CRPS is +∞ for every τ (see `stepCdfCrps`).
 *
 * CRPS_j = σ_j·S((y_j − ŷ_j)/σ_j) with S the CRPS of the residuals' empirical CDF, evaluated in O(log n)
 * from prefix sums of (k/n)²·w_k and suffix sums of (1 − k/n)²·w_k over the gaps w_k = r_{k+1} − r_k.
 */
export function predictiveCrps(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  y: NumericArray,
  options: { testSigma?: NumericArray } = {},
): Float64Array {
  const pred = finiteArray(testPredictions, 'testPredictions');
  checkSameLength({ testPredictions: pred, y });
  const yy = finiteArray(y, 'y');
  const s = scales(system, pred.length, options.testSigma);
  const r = system.residuals;
  const n = r.length;
  if (n === 0) throw conformalError('E_INPUT', 'the predictive system has no calibration residuals');
  // below[m] = Σ_{k=1}^{m−1} (k/n)² w_k (pieces left of piece m), above[m] = Σ_{k=m+1}^{n−1} (1−k/n)² w_k.
  const below = new Float64Array(n + 1);
  const above = new Float64Array(n + 1);
  for (let k = 1; k < n; k++) {
    const level = k / n;
    below[k + 1] = below[k]! + level * level * (r[k]! - r[k - 1]!);
  }
  below[0] = 0;
  for (let k = n - 1; k >= 1; k--) {
    const level = 1 - k / n;
    above[k - 1] = above[k]! + level * level * (r[k]! - r[k - 1]!);
  }
  const out = new Float64Array(pred.length);
  for (let j = 0; j < pred.length; j++) {
    const z = (yy[j]! - pred[j]!) / s[j]!;
    const m = countBelow(r, z, true); // F = m/n on [r_m, r_{m+1}) (1-based order statistics)
    let score: number;
    if (m === 0) score = r[0]! - z + above[0]!;
    else if (m === n) score = below[n]! + (z - r[n - 1]!);
    else {
      const level = m / n;
      score =
        below[m]! + level * level * (z - r[m - 1]!) + (1 - level) * (1 - level) * (r[m]! - z) + above[m]!;
    }
    out[j] = s[j]! * score;
  }
  return out;
}

/** Mean CRPS over a test set (crepes' `"CRPS"` metric): the average of `predictiveCrps`. */
export function meanPredictiveCrps(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  y: NumericArray,
  options: { testSigma?: NumericArray } = {},
): number {
  const scores = predictiveCrps(system, testPredictions, y, options);
  if (scores.length === 0) throw conformalError('E_INPUT', 'y is empty; pass at least one test object');
  let sum = 0;
  for (let j = 0; j < scores.length; j++) sum += scores[j]!;
  return sum / scores.length;
}
