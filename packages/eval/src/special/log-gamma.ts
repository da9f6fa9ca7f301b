const LN_SQRT_2PI = 0.9189385332046728;

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

/** ln Γ(x) for x > 0, absolute error ~1e-15 (Stirling series above 10, upward recurrence below). */
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

/** ln B(a, b), with the large-argument cancellation removed as in R's `lbeta`. */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return (
      -0.5 * Math.log(q) +
      LN_SQRT_2PI +
      corr +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** log(1 + y) − y without cancellation for small |y|. */
export function log1pmx(y: number): number {
  if (Math.abs(y) > 0.1) return Math.log1p(y) - y;
  // −y²/2 + y³/3 − … ; |y| ≤ 0.1 needs ≤ 16 terms for 1e-17.
  let term = y;
  let sum = 0;
  for (let k = 2; k < 40; k++) {
    term *= -y;
    const add = term / k;
    sum += add;
    if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

export { LN_SQRT_2PI };
