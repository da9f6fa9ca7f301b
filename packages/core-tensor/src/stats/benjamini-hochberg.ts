import { statsError } from './stats-error.js';

export interface BenjaminiHochbergOptions {
  /**
   * 'independent' (default): Benjamini–Hochberg (statsmodels `fdr_bh`), valid under independence or
   * positive dependence. 'arbitrary': Benjamini–Yekutieli (`fdr_by`), which scales by Σ 1/k.
   */
  readonly dependence?: 'independent' | 'arbitrary';
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values) in the input's order: p̃_(i) = min_{k ≥ i} m·p_(k)/k,
 * capped at 1 (as `statsmodels.stats.multitest.multipletests(method='fdr_bh')`). Rejecting every
 * p̃_i ≤ q is the BH step-up procedure at level q. E_INPUT when a value is not in [0, 1].
 */
export function benjaminiHochbergAdjusted(
  pValues: ArrayLike<number>,
  options: BenjaminiHochbergOptions = {},
): Float64Array {
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    const v = pValues[i]!;
    if (!(v >= 0 && v <= 1)) {
      throw statsError(
        'E_INPUT',
        `benjaminiHochbergAdjusted: pValues[${i}] is ${String(v)}; p-values must lie in [0, 1]`,
      );
    }
  }
  let scale = 1;
  if (options.dependence === 'arbitrary') {
    scale = 0;
    for (let k = 1; k <= m; k++) scale += 1 / k;
  }
  // Native numeric sort (much faster than sorting indices with a comparator; conformal calls this in
  // O(m²) loops), then each value looks up its rank. Tied values share one adjusted value, so any rank
  // within a tie block gives the same answer.
  const sorted = Float64Array.from(pValues).sort();
  const adjustedSorted = new Float64Array(m);
  // Step-up: running minimum from the largest p downwards.
  let running = Number.POSITIVE_INFINITY;
  for (let rank = m - 1; rank >= 0; rank--) {
    running = Math.min(running, (sorted[rank]! * m * scale) / (rank + 1));
    adjustedSorted[rank] = Math.min(1, running);
  }
  const adjusted = new Float64Array(m);
  for (let i = 0; i < m; i++) adjusted[i] = adjustedSorted[lastIndexAtMost(sorted, pValues[i]!)]!;
  return adjusted;
}

/** The largest index r with sorted[r] ≤ x (x is one of the values, so r ≥ 0). */
function lastIndexAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
