import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { uniPcCoefficients } from './unipc-coefficients.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({
  /** Predictor order p; with the corrector the method converges at order p + 1. */
  order: z.number().int().min(1).max(3).default(2),
  variant: z.enum(['bh1', 'bh2']).default('bh2'),
  form: z.enum(['data', 'noise']).default('data'),
  /** Turn UniC off everywhere (`false`), or give the step indices (1-based) where it is skipped. */
  corrector: z.union([z.boolean(), z.array(z.number().int().min(1))]).default(true),
  lowerOrderFinal: z.boolean().default(false),
});

export type UniPcOptions = z.input<typeof schema> & CommonSolverOptions;

/**
 * UniPC (official `uni_pc.py` multistep bh update): UniP-p predictor plus UniC corrector whose model
 * evaluation at the predicted point is reused as history, so NFE = number of intervals.
 * The corrector is never applied on the final step.
 */
export function uniPc(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: UniPcOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'uniPc options', schema, rest);
  validateGrid(times);
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const data = o.form === 'data';
  const steps = times.length - 1;
  const lam = Array.from(times as ArrayLike<number>, (t) => sch.lambda(t));
  let x: Float64Array = Float64Array.from(xT);
  const n = x.length;
  const hist: Float64Array[] = [ev.predict(o.form, x, times[0]!)];
  const histLam: number[] = [lam[0]!];
  const skip = new Set(Array.isArray(o.corrector) ? o.corrector : []);
  for (let step = 1; step <= steps; step++) {
    const t = times[step]!;
    let order = Math.min(o.order, step);
    if (o.lowerOrderFinal) order = Math.min(order, steps + 1 - step);
    const useCorrector = step < steps && o.corrector !== false && !skip.has(step);
    const lamPrev0 = histLam[histLam.length - 1]!;
    const lamT = lam[step]!;
    const h = lamT - lamPrev0;
    const m0 = hist[hist.length - 1]!;
    const tPrev = times[step - 1]!;
    const rks: number[] = [];
    const d1s: Float64Array[] = [];
    for (let i = 1; i < order; i++) {
      const mi = hist[hist.length - 1 - i]!;
      const rk = (histLam[histLam.length - 1 - i]! - lamPrev0) / h;
      rks.push(rk);
      const d = new Float64Array(n);
      for (let j = 0; j < n; j++) d[j] = (mi[j]! - m0[j]!) / rk;
      d1s.push(d);
    }
    rks.push(1);
    const hh = data ? -h : h;
    const hPhi1 = Math.expm1(hh);
    const { bh, rhosP, rhosC } = uniPcCoefficients(hh, rks, o.variant, useCorrector);
    // Base first-order map and its scale: data x~ = (s_t/s_s) x - a_t hPhi1 m0, noise uses alphas and sigma_t.
    const lin = data ? sch.sigma(t) / sch.sigma(tPrev) : Math.exp(sch.logAlpha(t) - sch.logAlpha(tPrev));
    const scale = data ? sch.alpha(t) : sch.sigma(t);
    const base = new Float64Array(n);
    for (let j = 0; j < n; j++) base[j] = lin * x[j]! - scale * hPhi1 * m0[j]!;
    const xp = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let res = 0;
      for (let k = 0; k < d1s.length; k++) res += rhosP[k]! * d1s[k]![j]!;
      xp[j] = base[j]! - scale * bh * res;
    }
    if (useCorrector) {
      const mt = ev.predict(o.form, xp, t);
      const xc = new Float64Array(n);
      const last = rhosC[rhosC.length - 1]!;
      for (let j = 0; j < n; j++) {
        let res = 0;
        for (let k = 0; k < d1s.length; k++) res += rhosC[k]! * d1s[k]![j]!;
        res += last * (mt[j]! - m0[j]!);
        xc[j] = base[j]! - scale * bh * res;
      }
      x = xc;
      hist.push(mt);
    } else {
      x = xp;
      if (step < steps) hist.push(ev.predict(o.form, x, t));
    }
    histLam.push(lamT);
    while (hist.length > o.order) {
      hist.shift();
    }
    while (histLam.length > hist.length) histLam.shift();
  }
  return { x, nfe: ev.nfe };
}
