import { checkAlpha, checkSameLength, finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

/** Pinball (quantile) loss ρ_τ(y − q) = max(τ(y − q), (τ − 1)(y − q)). */
export function pinballLoss(y: number, q: number, tau: number): number {
  const u = y - q;
  return Math.max(tau * u, (tau - 1) * u);
}

/** Mean pinball loss over points and levels: `predictions[i][l]` is the τ_l-quantile for point i. */
export function meanPinballLoss(
  y: NumericArray,
  predictions: readonly NumericArray[],
  levels: NumericArray,
): number {
  checkSameLength({ y, predictions });
  const taus = finiteArray(levels, 'levels');
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const row = predictions[i]!;
    if (row.length !== taus.length) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `predictions[${i}] has ${row.length} values; expected one per level (${taus.length})`,
      );
    }
    for (let l = 0; l < taus.length; l++) total += pinballLoss(y[i]!, row[l]!, taus[l]!);
  }
  return total / Math.max(1, y.length * taus.length);
}

/** Interval score IS_α(l, u; y) = (u − l) + (2/α)(l − y)^+ + (2/α)(y − u)^+. */
export function intervalScore(lower: number, upper: number, y: number, alpha: number): number {
  return upper - lower + (2 / alpha) * Math.max(0, lower - y) + (2 / alpha) * Math.max(0, y - upper);
}

/**
 * Weighted interval score of a median and K central intervals:
 * WIS = [½|y − m| + Σ_k (α_k/2)·IS_{α_k}(l_k, u_k; y)] / (K + ½) = (2/(2K+1))·Σ_τ ρ_τ(y − q_τ).
 */
export function weightedIntervalScore(
  y: number,
  median: number,
  intervals: readonly { alpha: number; lower: number; upper: number }[],
): number {
  let total = 0.5 * Math.abs(y - median);
  intervals.forEach((iv, k) => {
    checkAlpha(iv.alpha, `intervals[${k}].alpha`);
    total += (iv.alpha / 2) * intervalScore(iv.lower, iv.upper, y, iv.alpha);
  });
  return total / (intervals.length + 0.5);
}
