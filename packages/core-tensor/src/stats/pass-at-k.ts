import { statsError } from './stats-error.js';

/**
 * Why `(n, c, k)` is not a valid pass@k input, or `undefined` when it is: `n` ≥ 1 samples drawn,
 * `0 ≤ c ≤ n` correct, `1 ≤ k ≤ n`. Domain packages call this to throw with their own error prefix.
 * k > n is rejected even though the reference implementation returns 1 there: pass@k is simply not
 * estimable from fewer than k samples.
 */
export function passAtKInputProblem(n: number, c: number, k: number): string | undefined {
  if (!Number.isInteger(n) || n < 1) return `n must be a positive integer (samples drawn), got ${n}`;
  if (!Number.isInteger(c) || c < 0 || c > n)
    return `c must be an integer with 0 <= c <= n=${n} (correct samples), got ${c}`;
  if (!Number.isInteger(k) || k < 1) return `k must be a positive integer, got ${k}`;
  if (k > n)
    return `k=${k} exceeds n=${n}: pass@k is not estimable from ${n} samples (draw at least k samples per task)`;
  return undefined;
}

/** Unbiased pass@k for one task (n samples, c correct) without validation, for hot loops. */
export function passAtKUnchecked(n: number, c: number, k: number): number {
  if (n - c < k) return 1;
  // 1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1}^{n} (1 − k/i)  (Chen et al. 2021, stable product form).
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/**
 * Unbiased pass@k = 1 − C(n−c, k)/C(n, k) from n samples with c correct (Chen et al. 2021), computed as
 * a stable product. Throws `E_INPUT` for non-integers, c outside [0, n], or k outside [1, n].
 */
export function passAtK(n: number, c: number, k: number): number {
  const problem = passAtKInputProblem(n, c, k);
  if (problem !== undefined) throw statsError('E_INPUT', `passAtK: ${problem}`);
  return passAtKUnchecked(n, c, k);
}
