import type { NoiseSchedule } from '../schedule/noise-schedule.js';

/**
 * Closed-form probability-flow ODE solution for data `N(mu, diag(std^2))` (spec §6.2): the ODE keeps
 * the standardised value, `x_t = alpha_t mu + (c_t/c_s)(x_s - alpha_s mu)`, `c = sqrt(alpha^2 std^2 + sigma^2)`.
 * `x` is a flat batch of points of dimension `mu.length`.
 */
export function singleGaussianOdeSolution(
  schedule: NoiseSchedule,
  mu: ArrayLike<number>,
  std: ArrayLike<number>,
  x: Float64Array,
  s: number,
  t: number,
): Float64Array {
  const d = mu.length;
  const out = new Float64Array(x.length);
  const as = schedule.alpha(s);
  const at = schedule.alpha(t);
  const ss = schedule.sigma(s);
  const st = schedule.sigma(t);
  for (let i = 0; i < x.length; i++) {
    const k = i % d;
    const v2 = std[k]! * std[k]!;
    const cs = Math.sqrt(as * as * v2 + ss * ss);
    const ct = Math.sqrt(at * at * v2 + st * st);
    out[i] = at * mu[k]! + (ct / cs) * (x[i]! - as * mu[k]!);
  }
  return out;
}
