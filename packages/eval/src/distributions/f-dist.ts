import { incompleteBeta } from '@modelsmith/core-tensor';

/** P(F > f) for the F(d1, d2) distribution. */
export function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return Number.NaN;
  if (f <= 0) return 1;
  const denominator = d2 + d1 * f;
  return incompleteBeta(d2 / denominator, d2 / 2, d1 / 2, (d1 * f) / denominator).lower;
}

/** F(d1, d2) CDF. */
export function fCdf(f: number, d1: number, d2: number): number {
  if (f <= 0) return 0;
  const denominator = d2 + d1 * f;
  return incompleteBeta(d2 / denominator, d2 / 2, d1 / 2, (d1 * f) / denominator).upper;
}
