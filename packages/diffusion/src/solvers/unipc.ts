import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { multistepOrder, startMultistep } from './multistep-start.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { uniPcStep } from './unipc-step.js';
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
  const run = startMultistep(model, xT, times, o.form, correctX0);
  const { ev, sch, steps, lam, hist, histLam } = run;
  let x = run.x;
  const n = x.length;
  const skip = new Set(Array.isArray(o.corrector) ? o.corrector : []);
  for (let step = 1; step <= steps; step++) {
    const t = times[step]!;
    const order = multistepOrder(o.order, step, steps, o.lowerOrderFinal);
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
    const update = uniPcStep(sch, x, tPrev, t, h, o.form, m0, rks, d1s, o.variant, useCorrector);
    if (useCorrector) {
      const mt = ev.predict(o.form, update.predicted, t);
      x = update.correct(mt);
      hist.push(mt);
    } else {
      x = update.predicted;
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
