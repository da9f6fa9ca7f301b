import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

/**
 * DDIM (eta = 0) = DPM-Solver-1 = DPM-Solver++-1: `x_t = alpha_t x0 + sigma_t eps`, with x0 and eps
 * both from the model at (x_s, s). Written as the data-form exponential integrator
 * `x_t = (sigma_t/sigma_s) x_s + alpha_t (1 - e^{-h}) x0`; exact in one step for one-point data.
 */
export function ddim(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: CommonSolverOptions = {},
): SolverResult {
  validateGrid(times);
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  let x: Float64Array = Float64Array.from(xT);
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const x0 = ev.x0(x, s);
    const ratio = sch.sigma(t) / sch.sigma(s);
    const coef = sch.alpha(t) * -Math.expm1(sch.lambda(s) - sch.lambda(t));
    const next = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) next[j] = ratio * x[j]! + coef * x0[j]!;
    x = next;
  }
  return { x, nfe: ev.nfe };
}
