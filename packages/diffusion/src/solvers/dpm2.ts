import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
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
  const sig = (t: number) => sch.sigma(t) / sch.alpha(t);
  const n = xT.length;
  let y: Float64Array = Float64Array.from(xT, (v) => v / sch.alpha(times[0]!));
  const z = new Float64Array(n);
  const slope = (yy: Float64Array, t: number, s: number) => {
    const a = sch.alpha(t);
    const x0 = ev.x0(
      yy.map((v) => v * a),
      t,
    );
    return yy.map((v, k) => (v - x0[k]!) / s);
  };
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i]!;
    const s = sig(t);
    const sNext = sig(times[i + 1]!);
    let down = sNext;
    let up = 0;
    if (options.ancestral) {
      const eta = options.ancestral.eta ?? 1;
      up = Math.min(sNext, eta * Math.sqrt((sNext * sNext * (s * s - sNext * sNext)) / (s * s)));
      down = Math.sqrt(sNext * sNext - up * up);
    }
    const d = slope(y, t, s);
    const next = new Float64Array(n);
    if (down === 0) {
      for (let k = 0; k < n; k++) next[k] = y[k]! + (down - s) * d[k]!;
    } else {
      const sMid = Math.exp(0.5 * (Math.log(s) + Math.log(down)));
      const tMid = sch.tOfLambda(-Math.log(sMid));
      const y2 = y.map((v, k) => v + (sMid - s) * d[k]!);
      const d2 = slope(y2, tMid, sMid);
      for (let k = 0; k < n; k++) next[k] = y[k]! + (down - s) * d2[k]!;
    }
    if (up > 0) {
      options.ancestral!.noise(i, t, times[i + 1]!, z);
      for (let k = 0; k < n; k++) next[k] = next[k]! + up * z[k]!;
    }
    y = next;
  }
  const aEnd = sch.alpha(times[times.length - 1]!);
  return { x: y.map((v) => v * aEnd), nfe: ev.nfe };
}
