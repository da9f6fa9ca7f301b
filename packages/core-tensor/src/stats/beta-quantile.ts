import { incompleteBeta } from './incomplete-beta.js';

/**
 * Quantile of Beta(a, b): the x with I_x(a, b) = q, by bisection on the regularized incomplete beta
 * (monotone in x, so it cannot fail to converge; ~1e-16 absolute in x). 0 for q ≤ 0, 1 for q ≥ 1.
 */
export function betaQuantile(q: number, a: number, b: number): number {
  if (Number.isNaN(q) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b).lower < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
