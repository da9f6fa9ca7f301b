import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { veView } from '../model/ve-view.js';
import type { NoiseSampler } from '../stochastic/noise-sampler.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({
  method: z.enum(['euler', 'heun']).default('heun'),
  /** EDM stochasticity: gamma = min(sChurn/N, sqrt2 - 1) for sTmin ≤ sigma~ ≤ sTmax. 0 = deterministic. */
  sChurn: z.number().nonnegative().default(0),
  sTmin: z.number().nonnegative().default(0),
  sTmax: z.number().positive().default(Number.POSITIVE_INFINITY),
  sNoise: z.number().positive().default(1),
});

export type EdmSamplerOptions = z.input<typeof schema> &
  CommonSolverOptions & {
    /** Required when sChurn > 0. */
    readonly noise?: NoiseSampler;
  };

/**
 * EDM Euler / Heun (Karras et al., Alg. 2) in VE coordinates `y = x/alpha`, `sigma~ = sigma/alpha`:
 * `d = (y - x0)/sigma~`, Euler `y' = y + (sigma~_next - sigma~) d`, Heun averages with the slope at y'
 * (skipped when sigma~_next = 0). With `sChurn > 0` noise is added first (`sigma^ = sigma~(1+gamma)`);
 * on a VP or flow model the churned time is mapped back through lambda. NFE = N (Euler) or 2N minus the
 * steps that end at sigma = 0 (Heun).
 */
export function edmSampler(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: EdmSamplerOptions = {},
): SolverResult {
  const { correctX0, noise, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'edmSampler options', schema, rest);
  validateGrid(times);
  if (o.sChurn > 0 && noise === undefined) {
    throw diffusionError(
      'E_INPUT',
      'sChurn > 0 needs a noise sampler (options.noise), e.g. perSampleNoise(seed, size)',
    );
  }
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const ve = veView(sch, ev, times);
  const steps = times.length - 1;
  let y: Float64Array = ve.enter(xT);
  const n = y.length;
  const z = new Float64Array(n);
  for (let i = 0; i < steps; i++) {
    let t = times[i]!;
    const tNext = times[i + 1]!;
    let s = ve.sig(t);
    const sNext = ve.sig(tNext);
    const gamma =
      s >= o.sTmin && s <= o.sTmax && o.sChurn > 0 ? Math.min(o.sChurn / steps, Math.SQRT2 - 1) : 0;
    if (gamma > 0) {
      const sHat = s * (1 + gamma);
      noise!(i, t, tNext, z);
      const amp = Math.sqrt(sHat * sHat - s * s) * o.sNoise;
      for (let k = 0; k < n; k++) y[k] = y[k]! + amp * z[k]!;
      s = sHat;
      t = sch.tOfLambda(-Math.log(sHat));
    }
    const d = ve.slope(y, t, s);
    const next = new Float64Array(n);
    for (let k = 0; k < n; k++) next[k] = y[k]! + (sNext - s) * d[k]!;
    if (o.method === 'heun' && sNext > 0) {
      const d2 = ve.slope(next, tNext, sNext);
      for (let k = 0; k < n; k++) next[k] = y[k]! + (sNext - s) * 0.5 * (d[k]! + d2[k]!);
    }
    y = next;
  }
  return { x: ve.leave(y), nfe: ev.nfe };
}
