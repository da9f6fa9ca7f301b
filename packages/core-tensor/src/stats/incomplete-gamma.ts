import { LN_SQRT_2PI, logGamma, stirlingCorrection } from './log-gamma.js';
import { log1pmx } from './log1pmx.js';

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 100000;

/** log(x^a e^−x / Γ(a)), accurate for large a via the Temme-style rewrite around x = a. */
function logPrefactor(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - logGamma(a);
  const y = (x - a) / a;
  // a·(log(1+y) − y); far from x = a the direct log keeps 1 + y = x/a exact.
  const core = Math.abs(y) <= 0.5 ? a * log1pmx(y) : a * Math.log(x / a) - (x - a);
  return core + 0.5 * Math.log(a) - LN_SQRT_2PI - stirlingCorrection(a);
}

/** Regularized lower/upper incomplete gamma P(a, x) and Q(a, x) = 1 − P. */
export function incompleteGamma(a: number, x: number): { lower: number; upper: number } {
  if (!(a > 0) || Number.isNaN(x)) return { lower: Number.NaN, upper: Number.NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 };
  const logFront = logPrefactor(a, x);
  if (x < a + 1) {
    // Series: P = front/a · Σ x^n / ((a+1)…(a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITER; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const lower = Math.exp(logFront) * sum;
    return { lower, upper: 1 - lower };
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const upper = Math.exp(logFront) * h;
  return { lower: 1 - upper, upper };
}
