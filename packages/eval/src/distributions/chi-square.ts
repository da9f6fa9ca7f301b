import { incompleteGamma } from '@modelsmith/core-tensor';

/** χ²_df CDF. */
export function chiSquareCdf(x: number, df: number): number {
  return incompleteGamma(df / 2, x / 2).lower;
}

/** χ²_df survival function P(X > x), accurate in the upper tail. */
export function chiSquareSf(x: number, df: number): number {
  return incompleteGamma(df / 2, x / 2).upper;
}
