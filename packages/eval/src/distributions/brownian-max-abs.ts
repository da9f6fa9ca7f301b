import { normalSf } from '@modelsmith/core-tensor';

// Below this the theta series (in e^{−π²/(8x²)}) converges fastest; above it the reflection series.
// Near the median (≈ 1.15) both need only a handful of terms.
const SWITCH = 1.1;

/** Small-x series: P(M ≤ x) = (4/π) Σ_{k≥0} (−1)^k/(2k+1) · exp(−(2k+1)²π²/(8x²)). */
function cdfSeries(x: number): number {
  const a = (Math.PI * Math.PI) / (8 * x * x);
  let sum = 0;
  for (let k = 0; k < 200; k++) {
    const m = 2 * k + 1;
    const term = Math.exp(-m * m * a) / m;
    sum += k % 2 === 0 ? term : -term;
    if (term <= 1e-18 * Math.abs(sum)) break;
  }
  return (4 / Math.PI) * sum;
}

/** Large-x (reflection principle) series: P(M > x) = 4 Σ_{k≥1} (−1)^{k−1} Φ̄((2k−1)x). */
function sfSeries(x: number): number {
  let sum = 0;
  for (let k = 1; k < 200; k++) {
    const term = normalSf((2 * k - 1) * x);
    sum += k % 2 === 1 ? term : -term;
    if (term <= 1e-18 * Math.abs(sum)) break;
  }
  return 4 * sum;
}

/**
 * CDF of M = sup_{0≤t≤1} |B(t)| for a standard Brownian motion B: the asymptotic null distribution of the
 * Kolmogorov–Smirnov calibration statistic on cumulative differences (Darling & Siegert 1953; Tygert 2022).
 * Not the Kolmogorov (Brownian-bridge) distribution: the cumulative differences are not pinned at t = 1.
 */
export function brownianMaxAbsCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < SWITCH ? cdfSeries(x) : 1 - sfSeries(x);
}

/** Survival P(sup_{0≤t≤1} |B(t)| > x), accurate in the upper tail (p-value of the KS calibration test). */
export function brownianMaxAbsSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < SWITCH ? 1 - cdfSeries(x) : sfSeries(x);
}
