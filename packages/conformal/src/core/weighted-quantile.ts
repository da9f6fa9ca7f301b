import { checkAlpha, checkSameLength, finiteArray, type NumericArray, positiveArray } from './validate.js';

/** Relative slack when comparing cumulative weight to (1−α)·total: equal masses count as reaching it. */
const MASS_TOLERANCE = 1e-12;

/** Calibration scores sorted with their weights and running mass, reusable across test weights. */
export interface WeightedCalibration {
  readonly scores: Float64Array;
  readonly cumulative: Float64Array;
  readonly total: number;
}

export function prepareWeighted(scores: Float64Array, weights: Float64Array): WeightedCalibration {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  const sorted = new Float64Array(order.length);
  const cumulative = new Float64Array(order.length);
  let total = 0;
  order.forEach((index, r) => {
    sorted[r] = scores[index]!;
    total += weights[index]!;
    cumulative[r] = total;
  });
  return { scores: sorted, cumulative, total };
}

/** Smallest score whose cumulative mass, with the test weight parked at +∞, reaches (1−α). */
export function weightedQuantileSorted(cal: WeightedCalibration, testWeight: number, alpha: number): number {
  const total = cal.total + testWeight;
  const target = (1 - alpha) * total * (1 - MASS_TOLERANCE);
  const { cumulative } = cal;
  let lo = 0;
  let hi = cumulative.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo < cumulative.length ? cal.scores[lo]! : Number.POSITIVE_INFINITY;
}

/**
 * Weighted conformal quantile (Tibshirani et al. 2019): the (1−α)-quantile of
 * Σ_i p_i δ_{s_i} + p_{n+1} δ_{+∞}, p_i = w_i / (Σ_j w_j + w_test). With equal weights it equals
 * `splitQuantile`. Masses that tie with (1−α) exactly count as reaching it.
 */
export function weightedQuantile(
  scores: NumericArray,
  weights: NumericArray,
  testWeight: number,
  alpha: number,
): number {
  checkAlpha(alpha);
  checkSameLength({ scores, weights });
  const s = finiteArray(scores, 'scores');
  const w = positiveArray(weights, 'weights', true);
  const [tw] = positiveArray([testWeight], 'testWeight', true);
  return weightedQuantileSorted(prepareWeighted(s, w), tw!, alpha);
}
