import { quickselect } from '@modelsmith/core-tensor';
import { conformalRank, lowerConformalRank } from './conformal-rank.js';
import { checkAlpha, finiteArray, type NumericArray } from './validate.js';

export interface SplitQuantile {
  /** Miscoverage level this quantile is for. */
  readonly alpha: number;
  /** Number of calibration scores. */
  readonly n: number;
  /** Rank k = ⌈(n+1)(1−α)⌉ (1-based); k > n means q = +∞. */
  readonly k: number;
  /** The k-th smallest score, or +∞. */
  readonly q: number;
  /** Exact marginal coverage k/(n+1) for exchangeable, a.s. distinct scores (capped at 1). */
  readonly coverage: number;
}

/** k-th smallest (1-based) of `work` by core-tensor's O(n) quickselect (on a copy); ±∞ outside 1..n. */
export function orderStatistic(work: Float64Array, k: number): number {
  if (k < 1) return Number.NEGATIVE_INFINITY;
  if (k > work.length) return Number.POSITIVE_INFINITY;
  return quickselect(work, k - 1);
}

function quantileFromWork(work: Float64Array, alpha: number): SplitQuantile {
  const n = work.length;
  const k = conformalRank(n, alpha);
  return { alpha, n, k, q: orderStatistic(work, k), coverage: Math.min(1, k / (n + 1)) };
}

/**
 * Split-conformal quantile q̂ = s_(k), k = ⌈(n+1)(1−α)⌉, with k computed exactly (no float snapping)
 * and q̂ = +∞ when k > n. `scores` are nonconformity scores (larger = worse).
 */
export function splitQuantile(scores: NumericArray, alpha: number): SplitQuantile {
  checkAlpha(alpha);
  return quantileFromWork(finiteArray(scores, 'scores'), alpha);
}

/** `splitQuantile` for several α at once (the scores are validated and copied once). */
export function splitQuantiles(scores: NumericArray, alphas: readonly number[]): SplitQuantile[] {
  alphas.forEach((alpha, i) => {
    checkAlpha(alpha, `alphas[${i}]`);
  });
  const work = finiteArray(scores, 'scores');
  return alphas.map((alpha) => quantileFromWork(work, alpha));
}

/**
 * Lower conformal quantile: the ⌊(n+1)α⌋-th smallest score, −∞ when that rank is 0. It is the lower
 * end for asymmetric intervals and jackknife+.
 */
export function lowerQuantile(scores: NumericArray, alpha: number): { k: number; q: number; n: number } {
  checkAlpha(alpha);
  const work = finiteArray(scores, 'scores');
  const k = lowerConformalRank(work.length, alpha);
  return { k, q: orderStatistic(work, k), n: work.length };
}

/** Internal: unchecked upper quantile of already-validated scores (copies). */
export function upperQuantileUnchecked(scores: Float64Array, alpha: number): number {
  const k = conformalRank(scores.length, alpha);
  return orderStatistic(Float64Array.from(scores), k);
}

/** Internal: unchecked lower quantile of already-validated scores (copies). */
export function lowerQuantileUnchecked(scores: Float64Array, alpha: number): number {
  const k = lowerConformalRank(scores.length, alpha);
  return orderStatistic(Float64Array.from(scores), k);
}
