import { diffusionError } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { convertPrediction } from '../model/prediction-type.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

/**
 * Rectified-flow Euler / Heun (diffusers FlowMatchEuler/Heun): `x_{next} = x + (s_next - s) u` with the
 * velocity `u = eps - x0`. Needs a schedule of kind `flow` (alpha = 1 - s, sigma = s); the grid may end at 0.
 */
export function flowSampler(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: CommonSolverOptions & { readonly method?: 'euler' | 'heun' } = {},
): SolverResult {
  if (model.schedule.kind !== 'flow') {
    throw diffusionError(
      'E_INPUT',
      `flowSampler needs a flow schedule, got '${model.schedule.kind}'; use flowSchedule()`,
    );
  }
  validateGrid(times);
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  const velocity = (x: Float64Array, s: number) => {
    const x0 = ev.x0(x, s);
    return convertPrediction(x0, 'x0', 'flow', x, sch.alpha(s), sch.sigma(s));
  };
  let x: Float64Array = Float64Array.from(xT);
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const sNext = times[i + 1]!;
    const u = velocity(x, s);
    const next = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) next[k] = x[k]! + (sNext - s) * u[k]!;
    if (options.method === 'heun' && sNext > 0) {
      const u2 = velocity(next, sNext);
      for (let k = 0; k < x.length; k++) next[k] = x[k]! + (sNext - s) * 0.5 * (u[k]! + u2[k]!);
    }
    x = next;
  }
  return { x, nfe: ev.nfe };
}
