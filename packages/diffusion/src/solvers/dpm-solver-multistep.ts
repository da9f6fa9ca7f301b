import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { multistepOrder, startMultistep } from './multistep-start.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({
  order: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  /** `data` = DPM-Solver++ (x0 extrapolation), `noise` = DPM-Solver (eps). */
  form: z.enum(['data', 'noise']).default('data'),
  /** 2nd-order update: `midpoint` (official `dpmsolver`) or `taylor` (diffusers `heun`). */
  solverType: z.enum(['midpoint', 'taylor']).default('midpoint'),
  /**
   * 3rd order: `reference` is the shipped update (official / diffusers / k-diffusion; its
   * second-difference term is half the consistent one, so it converges at order 2);
   * `consistent` doubles that term and converges at order 3.
   */
  variant: z.enum(['reference', 'consistent']).default('reference'),
  /** Use order min(order, steps left) near the end (`lower_order_final`). */
  lowerOrderFinal: z.boolean().default(false),
});

export type DpmSolverMultistepOptions = z.input<typeof schema> & CommonSolverOptions;

/**
 * Multistep DPM-Solver / DPM-Solver++ (2M, 3M): one model call per step, warm-up with orders 1, 2.
 * NFE = number of intervals. If the last time has sigma = 0 the last step is the x0 prediction.
 */
export function dpmSolverMultistep(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: DpmSolverMultistepOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'dpmSolverMultistep options', schema, rest);
  validateGrid(times);
  const data = o.form === 'data';
  if (!data && model.schedule.sigma(times[times.length - 1]!) === 0) {
    throw diffusionError(
      'E_INPUT',
      "a grid ending at sigma = 0 needs form 'data' (DPM-Solver++), as in diffusers",
    );
  }
  // History of model outputs (newest last) and their lambda values.
  const run = startMultistep(model, xT, times, o.form, correctX0);
  const { ev, sch, steps, lam, hist, histLam } = run;
  let x = run.x;
  const n = x.length;
  for (let step = 1; step <= steps; step++) {
    const s = times[step - 1]!;
    const t = times[step]!;
    const order = multistepOrder(o.order, step, steps, o.lowerOrderFinal);
    const lamS = lam[step - 1]!;
    const lamT = lam[step]!;
    const h = lamT - lamS;
    const alphaT = sch.alpha(t);
    const sigmaT = sch.sigma(t);
    const m0 = hist[hist.length - 1]!;
    const next = new Float64Array(n);
    if (sigmaT === 0 && data) {
      for (let j = 0; j < n; j++) next[j] = alphaT * m0[j]!;
    } else {
      // Linear part and first-order term.
      const lin = data ? sigmaT / sch.sigma(s) : Math.exp(sch.logAlpha(t) - sch.logAlpha(s));
      const phi1 = data ? Math.expm1(-h) : Math.expm1(h);
      const c = data ? alphaT : -sigmaT;
      // data: x_t = lin x - c phi1 m0 + c * (terms); noise: x_t = lin x + c phi1 m0 + c * (terms) with c = -sigma_t
      const base = data ? -c * phi1 : c * phi1;
      let c1 = 0;
      let c2 = 0;
      let d10: Float64Array | undefined;
      let d11: Float64Array | undefined;
      let r0 = 0;
      let r1 = 0;
      if (order >= 2) {
        const m1 = hist[hist.length - 2]!;
        r0 = (lamS - histLam[histLam.length - 2]!) / h;
        d10 = new Float64Array(n);
        for (let j = 0; j < n; j++) d10[j] = (m0[j]! - m1[j]!) / r0;
        if (order === 3) {
          const m2 = hist[hist.length - 3]!;
          r1 = (histLam[histLam.length - 2]! - histLam[histLam.length - 3]!) / h;
          d11 = new Float64Array(n);
          for (let j = 0; j < n; j++) d11[j] = (m1[j]! - m2[j]!) / r1;
        }
      }
      // phi2, phi3 with the sign convention of each form.
      const phi2 = data ? phi1 / h + 1 : phi1 / h - 1;
      const phi3 = data ? phi2 / h - 0.5 : phi2 / h - 0.5;
      if (order === 2) {
        if (o.solverType === 'midpoint') c1 = data ? -0.5 * c * phi1 : 0.5 * c * phi1;
        else c1 = c * phi2;
      } else if (order === 3) {
        c1 = c * phi2;
        c2 = data ? -c * phi3 : c * phi3;
      }
      const d2scale = o.variant === 'consistent' ? 2 : 1;
      for (let j = 0; j < n; j++) {
        let v = lin * x[j]! + base * m0[j]!;
        if (order === 2) v += c1 * d10![j]!;
        else if (order === 3) {
          const a = d10![j]!;
          const b = d11![j]!;
          const d1 = a + (r0 / (r0 + r1)) * (a - b);
          const d2 = (d2scale * (a - b)) / (r0 + r1);
          v += c1 * d1 + c2 * d2;
        }
        next[j] = v;
      }
    }
    x = next;
    if (step < steps) {
      hist.push(ev.predict(o.form, x, t));
      histLam.push(lamT);
      if (hist.length > 3) {
        hist.shift();
        histLam.shift();
      }
    }
  }
  return { x, nfe: ev.nfe };
}
