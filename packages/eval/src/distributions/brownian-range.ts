import { normalSf } from '@modelsmith/core-tensor';

// Below this the theta series converges fastest; above it the alternating normal-tail series (the median of
// the range is ≈ 1.5).
const SWITCH = 1.5;

/** Small-x series: P(R ≤ x) = Σ_{k≥0} (8/x² + 2/(h_k²π²)) · exp(−2h_k²π²/x²), h_k = k + ½. */
function cdfSeries(x: number): number {
  const x2 = x * x;
  let sum = 0;
  for (let k = 0; k < 200; k++) {
    const h2 = (k + 0.5) ** 2;
    const term = (8 / x2 + 2 / (h2 * Math.PI * Math.PI)) * Math.exp((-2 * h2 * Math.PI * Math.PI) / x2);
    sum += term;
    if (term <= 1e-18 * sum) break;
  }
  return sum;
}

/**
 * Large-x series from Feller's density f(r) = 8 Σ_{k≥1} (−1)^{k−1} k² φ(kr), integrated term by term:
 * P(R > x) = 8 Σ_{k≥1} (−1)^{k−1} k Φ̄(kx).
 */
function sfSeries(x: number): number {
  let sum = 0;
  for (let k = 1; k < 200; k++) {
    const term = k * normalSf(k * x);
    sum += k % 2 === 1 ? term : -term;
    if (term <= 1e-18 * Math.abs(sum)) break;
  }
  return 8 * sum;
}

/**
 * CDF of the range R = sup B − inf B of a standard Brownian motion on [0, 1] (Feller 1951): the asymptotic
 * null distribution of the Kuiper calibration statistic on cumulative differences (Tygert 2022).
 */
export function brownianRangeCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < SWITCH ? cdfSeries(x) : 1 - sfSeries(x);
}

/** Survival P(R > x) of the Brownian range on [0, 1], accurate in the upper tail (Kuiper p-value). */
export function brownianRangeSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < SWITCH ? 1 - cdfSeries(x) : sfSeries(x);
}
