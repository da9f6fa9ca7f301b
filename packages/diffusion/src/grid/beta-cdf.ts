import { incompleteBeta } from '@modelsmith/core-tensor';

/**
 * CDF of Beta(a, b), the regularised incomplete beta I_x(a, b); kept as a named export for callers of
 * diffusion's earlier private copy. 0 for x ≤ 0, 1 for x ≥ 1, NaN unless a, b > 0.
 */
export function betaCdf(x: number, a: number, b: number): number {
  return incompleteBeta(x, a, b).lower;
}
