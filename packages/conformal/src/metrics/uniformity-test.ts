import { finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

/** Kolmogorov survival function Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 0.2) return 1; // the series converges slowly here and Q is 1 to double precision
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * One-sample Kolmogorov–Smirnov test of p-values against U(0,1) (crepes' `evaluate` reports it for
 * conformal p-values): D = sup |F_n(t) − t| and the asymptotic p-value Q(√n·D) with Stephens' small-sample
 * correction λ = (√n + 0.12 + 0.11/√n)·D.
 */
export function pValueUniformityTest(pValues: NumericArray): { statistic: number; pValue: number } {
  const p = finiteArray(pValues, 'pValues').sort();
  const n = p.length;
  if (n === 0) throw conformalError('E_INPUT', 'pValues is empty; pass at least one p-value');
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i]!;
    if (v < 0 || v > 1) throw conformalError('E_INPUT', `pValues contains ${v}; p-values lie in [0, 1]`);
    d = Math.max(d, (i + 1) / n - v, v - i / n);
  }
  const sqrtN = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovSurvival((sqrtN + 0.12 + 0.11 / sqrtN) * d) };
}
