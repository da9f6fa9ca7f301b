import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { veView } from '../model/ve-view.js';
import { ancestralStep } from '../stochastic/ancestral-step.js';
import type { NoiseSampler } from '../stochastic/noise-sampler.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

/**
 * k-diffusion DPM2 (KDPM2): midpoint in log sigma~ in VE coordinates; the last step to sigma = 0 is
 * Euler. With `ancestral`, the step goes to sigma_down and adds sigma_up noise (KDPM2-ancestral),
 * `sigma_up = min(sigma_next, eta sqrt(sigma_next^2 (sigma^2 - sigma_next^2)/sigma^2))`.
 * NFE = 2 per step (1 for a final step to sigma = 0).
 */
export function dpm2Sampler(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: CommonSolverOptions & {
    readonly ancestral?: { readonly noise: NoiseSampler; readonly eta?: number };
  } = {},
): SolverResult {
  validateGrid(times);
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  const ve = veView(sch, ev, times);
  const n = xT.length;
  let y: Float64Array = ve.enter(xT);
  const z = new Float64Array(n);
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i]!;
    const s = ve.sig(t);
    const sNext = ve.sig(times[i + 1]!);
    const { up, down } = options.ancestral
      ? ancestralStep(s, sNext, options.ancestral.eta ?? 1)
      : { up: 0, down: sNext };
    const d = ve.slope(y, t, s);
    const next = new Float64Array(n);
    if (down === 0) {
      for (let k = 0; k < n; k++) next[k] = y[k]! + (down - s) * d[k]!;
    } else {
      const sMid = Math.exp(0.5 * (Math.log(s) + Math.log(down)));
      const tMid = sch.tOfLambda(-Math.log(sMid));
      const y2 = y.map((v, k) => v + (sMid - s) * d[k]!);
      const d2 = ve.slope(y2, tMid, sMid);
      for (let k = 0; k < n; k++) next[k] = y[k]! + (down - s) * d2[k]!;
    }
    if (up > 0) {
      options.ancestral!.noise(i, t, times[i + 1]!, z);
      for (let k = 0; k < n; k++) next[k] = next[k]! + up * z[k]!;
    }
    y = next;
  }
  return { x: ve.leave(y), nfe: ev.nfe };
}
