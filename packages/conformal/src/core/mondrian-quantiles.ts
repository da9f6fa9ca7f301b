import { conformalRank } from './conformal-rank.js';
import { orderStatistic, type SplitQuantile } from './split-quantile.js';
import { checkAlpha, checkSameLength, finiteArray, type NumericArray } from './validate.js';

/**
 * Mondrian (group-conditional) split quantiles: each group g gets q̂_g from its own n_g scores with
 * k_g = ⌈(n_g+1)(1−α)⌉, so coverage ≥ 1−α holds within every group. Small groups get q̂ = +∞.
 */
export function mondrianQuantiles(
  scores: NumericArray,
  groups: readonly (string | number)[],
  alpha: number,
): Map<string | number, SplitQuantile> {
  checkAlpha(alpha);
  checkSameLength({ scores, groups });
  const s = finiteArray(scores, 'scores');
  const byGroup = new Map<string | number, number[]>();
  groups.forEach((g, i) => {
    const list = byGroup.get(g);
    if (list) list.push(s[i]!);
    else byGroup.set(g, [s[i]!]);
  });
  const out = new Map<string | number, SplitQuantile>();
  for (const [g, list] of byGroup) {
    const n = list.length;
    const k = conformalRank(n, alpha);
    out.set(g, {
      alpha,
      n,
      k,
      q: orderStatistic(Float64Array.from(list), k),
      coverage: Math.min(1, k / (n + 1)),
    });
  }
  return out;
}
