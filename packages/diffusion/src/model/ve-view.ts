import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import type { ModelEvaluator } from './model-evaluator.js';

/** What the k-diffusion-style samplers need of a schedule and model, in VE coordinates. */
export interface VeView {
  /** `sigma~(t) = sigma(t)/alpha(t)`. */
  sig(t: number): number;
  /** The model's x0 at the VE point y (i.e. at x = alpha(t)·y). */
  x0At(y: Float64Array, t: number): Float64Array;
  /** The probability-flow slope `dy/dsigma~ = (y − x0)/sigma~` at y, time t, with `s = sigma~(t)`. */
  slope(y: Float64Array, t: number, s: number): Float64Array;
  /** `y = x_T/alpha(t_0)` for the first grid time. */
  enter(xT: Float64Array): Float64Array;
  /** `x = alpha(t_last)·y` for the last grid time. */
  leave(y: Float64Array): Float64Array;
}

/**
 * k-diffusion's view of any schedule: `y = x/alpha`, `sigma~ = sigma/alpha` (the scaled ODE is the VE
 * one), so Euler / Heun / DPM2 / LMS / ancestral samplers run unchanged on VP and flow schedules.
 */
export function veView(sch: NoiseSchedule, ev: ModelEvaluator, times: ArrayLike<number>): VeView {
  const x0At = (y: Float64Array, t: number) => {
    const a = sch.alpha(t);
    return ev.x0(
      y.map((v) => v * a),
      t,
    );
  };
  return {
    sig: (t) => sch.sigma(t) / sch.alpha(t),
    x0At,
    slope(y, t, s) {
      const x0 = x0At(y, t);
      return y.map((v, k) => (v - x0[k]!) / s);
    },
    enter: (xT) => Float64Array.from(xT, (v) => v / sch.alpha(times[0]!)),
    leave(y) {
      const aEnd = sch.alpha(times[times.length - 1]!);
      return y.map((v) => v * aEnd);
    },
  };
}
