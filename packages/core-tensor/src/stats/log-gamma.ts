/** ln √(2π). */
export const LN_SQRT_2PI = 0.9189385332046728;

/**
 * Stirling correction lgamma(x) − [(x−½)ln x − x + ln√(2π)] for x ≥ 10, from the asymptotic
 * Bernoulli series; the first omitted term is below 3e-17 at x = 10.
 */
export function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 *
                (-1 / 1680 +
                  r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/** ln Γ(x) for x > 0 (NaN otherwise), absolute error ~1e-15 (Stirling series above 10, upward recurrence below). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + stirlingCorrection(z) - Math.log(product);
}
