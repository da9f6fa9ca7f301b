import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({
  /** diffusers `skip_prk_steps`: start PLMS with an Euler step corrected to Heun (N + 1 NFE) instead of 3 PRK steps. */
  skipPrkSteps: z.boolean().default(false),
  /**
   * Where the PRK half-step lands: `time` = arithmetic midpoint of the grid times (diffusers'
   * `t - step_ratio/2`), `rho` = midpoint in rho = sigma/alpha (then PRK is classical RK4 in rho).
   */
  midpoint: z.enum(['time', 'rho']).default('time'),
});

export type PndmOptions = z.input<typeof schema> & CommonSolverOptions;

/** Number of pseudo Runge–Kutta warm-up steps (diffusers `pndm_order - 1`). */
const PRK_STEPS = 3;

/** Adams–Bashforth weights (newest first) used by PLMS with 1…4 stored eps values. */
const AB_WEIGHTS = [[1], [3 / 2, -1 / 2], [23 / 12, -16 / 12, 5 / 12], [55 / 24, -59 / 24, 37 / 24, -9 / 24]];

/**
 * The PNDM "transfer" phi (Liu et al. 2022, diffusers `_get_prev_sample`): the DDIM map with a fixed
 * eps, written `x_t = (alpha_t/alpha_s) x_s + alpha_t (rho_t - rho_s) eps` with rho = sigma/alpha
 * (algebraically the same as diffusers' `sqrt(abar_prev/abar)` form).
 */
function transfer(
  sch: NoiseSchedule,
  x: Float64Array,
  s: number,
  t: number,
  eps: Float64Array,
): Float64Array {
  const lin = Math.exp(sch.logAlpha(t) - sch.logAlpha(s));
  const drho = sch.alpha(t) * (Math.exp(-sch.lambda(t)) - Math.exp(-sch.lambda(s)));
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = lin * x[k]! + drho * eps[k]!;
  return out;
}

/**
 * PNDM (Liu et al. 2022, diffusers `PNDMScheduler`) on the eps prediction: the first 3 intervals are
 * pseudo Runge–Kutta steps (4 model calls each: eps at s, twice at the half-step, once at t, combined
 * `(e1 + 2 e2 + 2 e3 + e4)/6` and applied through the DDIM transfer), then pseudo linear multistep
 * (PLMS): fixed Adams–Bashforth-4 weights on the eps history, one call per interval. NFE = N + 9
 * for N ≥ 3 intervals. `skipPrkSteps` (diffusers' option, also CompVis' PLMS sampler): the first
 * interval is an Euler step whose end-point eps is averaged with the start eps (a Heun step), then AB2,
 * AB3, AB4; NFE = N + 1. The AB weights assume equal steps: the method is 4th order on a grid uniform
 * in rho = sigma/alpha (with `midpoint: 'rho'` for the PRK warm-up), 2nd order on other grids.
 */
export function pndm(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: PndmOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'pndm options', schema, rest);
  validateGrid(times);
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const steps = times.length - 1;
  let x: Float64Array = Float64Array.from(xT);
  const ets: Float64Array[] = [];
  const midTime = (s: number, t: number) =>
    o.midpoint === 'time'
      ? 0.5 * (s + t)
      : sch.tOfLambda(-Math.log(0.5 * (Math.exp(-sch.lambda(s)) + Math.exp(-sch.lambda(t)))));
  for (let i = 0; i < steps; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const e1 = ev.eps(x, s);
    ets.unshift(e1);
    if (ets.length > 4) ets.pop();
    if (!o.skipPrkSteps && i < PRK_STEPS) {
      const m = midTime(s, t);
      const e2 = ev.eps(transfer(sch, x, s, m, e1), m);
      const e3 = ev.eps(transfer(sch, x, s, m, e2), m);
      const e4 = ev.eps(transfer(sch, x, s, t, e3), t);
      const e = new Float64Array(x.length);
      for (let k = 0; k < x.length; k++) e[k] = (e1[k]! + 2 * e2[k]! + 2 * e3[k]! + e4[k]!) / 6;
      x = transfer(sch, x, s, t, e);
      continue;
    }
    if (o.skipPrkSteps && i === 0 && steps > 1) {
      // diffusers' counter == 1 branch: re-do the first interval with the mean of both end-point eps.
      const e2 = ev.eps(transfer(sch, x, s, t, e1), t);
      const e = new Float64Array(x.length);
      for (let k = 0; k < x.length; k++) e[k] = 0.5 * (e1[k]! + e2[k]!);
      x = transfer(sch, x, s, t, e);
      continue;
    }
    const w = AB_WEIGHTS[ets.length - 1]!;
    const e = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) {
      let v = 0;
      for (let j = 0; j < w.length; j++) v += w[j]! * ets[j]![k]!;
      e[k] = v;
    }
    x = transfer(sch, x, s, t, e);
  }
  return { x, nfe: ev.nfe };
}

/** Intervals that fit an NFE budget: PRK + PLMS uses N + 9 calls for N ≥ 3 (4 per interval below), PLMS-only N + 1. */
export function pndmStepsForNfe(nfe: number, skipPrkSteps: boolean): number {
  if (skipPrkSteps) return Math.max(1, nfe - 1);
  return nfe >= 4 * PRK_STEPS ? nfe - 4 * PRK_STEPS + PRK_STEPS : Math.max(1, Math.floor(nfe / 4));
}
