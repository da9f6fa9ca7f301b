import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { veView } from '../model/ve-view.js';
import { integrate, lagrangeBasis } from './gauss-legendre.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({ order: z.number().int().min(1).max(4).default(4) });

export type LmsOptions = z.input<typeof schema> & CommonSolverOptions;

/**
 * Linear multistep (k-diffusion `sample_lms`) in VE coordinates `y = x/alpha`, `sigma~ = sigma/alpha`:
 * `y_{i+1} = y_i + sum_j c_j d_{i-j}`, `d = (y - x0)/sigma~`, `c_j = ∫ l_j(sigma~) dsigma~` over the
 * Lagrange basis in sigma~ (integrated exactly by Gauss–Legendre instead of scipy quad).
 */
export function lms(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: LmsOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'lms options', schema, rest);
  validateGrid(times);
  const ev = new ModelEvaluator(model, correctX0);
  const ve = veView(model.schedule, ev, times);
  let y: Float64Array = ve.enter(xT);
  const ds: Float64Array[] = [];
  const sHist: number[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const r = ve.sig(s);
    const x0 = ve.x0At(y, s);
    const d = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) d[k] = (y[k]! - x0[k]!) / r;
    ds.unshift(d);
    sHist.unshift(r);
    if (ds.length > o.order) {
      ds.pop();
      sHist.pop();
    }
    const rNext = ve.sig(times[i + 1]!);
    const coefs = sHist.map((_, j) => integrate((u) => lagrangeBasis(sHist, j, u), r, rNext, 1));
    const next = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) {
      let v = y[k]!;
      for (let j = 0; j < coefs.length; j++) v += coefs[j]! * ds[j]![k]!;
      next[k] = v;
    }
    y = next;
  }
  return { x: ve.leave(y), nfe: ev.nfe };
}
