import { variance } from '@modelsmith/core-tensor';

/**
 * Sample standard deviation (n − 1 denominator) over core-tensor's `variance`. Kept here because scaling
 * reports 0, not NaN, for a single value (one bootstrap resample / one jackknife fold).
 */
export function standardDeviation(values: ArrayLike<number>): number {
  return values.length === 1 ? 0 : Math.sqrt(variance(values, 1));
}
