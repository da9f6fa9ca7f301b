import { normalCdf } from '@modelsmith/core-tensor';

/**
 * CDF of the studentized range of k standard normals with infinite df:
 * P(R ≤ q) = k ∫ φ(z)[Φ(z) − Φ(z − q)]^{k−1} dz, by composite Simpson on [−9, 9] (error < 1e-10).
 */
export function studentizedRangeCdf(q: number, k: number): number {
  if (q <= 0) return 0;
  const steps = 3000;
  const lo = -9;
  const hi = 9;
  const h = (hi - lo) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const z = lo + i * h;
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    const inner = normalCdf(z) - normalCdf(z - q);
    sum += w * Math.exp(-0.5 * z * z) * inner ** (k - 1);
  }
  return Math.min(1, (k * sum * h) / 3 / Math.sqrt(2 * Math.PI));
}

/** Quantile of the studentized range (infinite df) by bisection on `studentizedRangeCdf`. */
export function studentizedRangeQuantile(p: number, k: number): number {
  let lo = 0;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (studentizedRangeCdf(mid, k) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
