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
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!);
  const adjusted = new Float64Array(m);
  // Step-up: running minimum from the largest p downwards.
  let running = Number.POSITIVE_INFINITY;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank]!;
    running = Math.min(running, (pValues[i]! * m * scale) / (rank + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
