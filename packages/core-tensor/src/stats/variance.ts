import { mean } from './mean.js';

/** Variance Σ(x − x̄)²/(n − ddof), two-pass; `ddof` = 1 (default) is the unbiased sample variance. */
export function variance(values: ArrayLike<number>, ddof = 1): number {
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - m;
    ss += d * d;
  }
  return ss / (values.length - ddof);
}
