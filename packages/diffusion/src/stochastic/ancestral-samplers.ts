import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { veView } from '../model/ve-view.js';
import type { CommonSolverOptions, SolverResult } from '../solvers/solver-types.js';
import { validateGrid } from '../solvers/validate-grid.js';
import { ancestralStep } from './ancestral-step.js';
import type { NoiseSampler } from './noise-sampler.js';

export interface StochasticOptions extends CommonSolverOptions {
  /** Standard normal noise per step; use `perSampleNoise(seed, sampleSize)` for batch-independent results. */
  readonly noise: NoiseSampler;
}

const ddpmSchema = z.object({ variance: z.enum(['small', 'large']).default('small') });

/**
 * DDPM ancestral sampling on any grid: draws `x_t ~ q(x_t | x_s, x0_hat)` with mean
 * `(alpha_{s|t} sigma_t^2/sigma_s^2) x_s + (alpha_t sigma_{s|t}^2/sigma_s^2) x0` and variance
 * `sigma_{s|t}^2 sigma_t^2/sigma_s^2` (`small`) or `sigma_{s|t}^2` (`large`), where
 * `alpha_{s|t} = alpha_s/alpha_t`, `sigma_{s|t}^2 = sigma_s^2 - alpha_{s|t}^2 sigma_t^2`.
 */
export function ddpmAncestral(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: StochasticOptions & { readonly variance?: 'small' | 'large' },
): SolverResult {
  const { noise, correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'ddpmAncestral options', ddpmSchema, rest);
  validateGrid(times);
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  let x: Float64Array = Float64Array.from(xT);
  const z = new Float64Array(x.length);
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const x0 = ev.x0(x, s);
    const as = sch.alpha(s);
    const at = sch.alpha(t);
    const ss2 = sch.sigma(s) ** 2;
    const st2 = sch.sigma(t) ** 2;
    const ats = as / at;
    const sts2 = ss2 - ats * ats * st2;
    const cx = (ats * st2) / ss2;
    const c0 = (at * sts2) / ss2;
    const std = st2 === 0 ? 0 : Math.sqrt(o.variance === 'small' ? (sts2 * st2) / ss2 : sts2);
    noise(i, s, t, z);
    const next = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) next[k] = cx * x[k]! + c0 * x0[k]! + std * z[k]!;
    x = next;
  }
  return { x, nfe: ev.nfe };
}

/**
 * DDIM with `eta`: `x_t = alpha_t x0 + sqrt(sigma_t^2 - c^2) eps + c z`,
 * `c = eta sigma_t/sigma_s · sigma_{s|t}` (eta = 1 is DDPM `small`, eta = 0 is DDIM).
 */
export function ddimEta(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: StochasticOptions & { readonly eta: number },
): SolverResult {
  validateGrid(times);
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  let x: Float64Array = Float64Array.from(xT);
  const z = new Float64Array(x.length);
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const x0 = ev.x0(x, s);
    const as = sch.alpha(s);
    const ss = sch.sigma(s);
    const at = sch.alpha(t);
    const st = sch.sigma(t);
    const ats = as / at;
    const sts = Math.sqrt(Math.max(0, ss * ss - ats * ats * st * st));
    const c = (options.eta * st * sts) / ss;
    const ce = Math.sqrt(Math.max(0, st * st - c * c));
    options.noise(i, s, t, z);
    const next = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const eps = (x[k]! - as * x0[k]!) / ss;
      next[k] = at * x0[k]! + ce * eps + c * z[k]!;
    }
    x = next;
  }
  return { x, nfe: ev.nfe };
}

/**
 * k-diffusion Euler-ancestral in VE coordinates: `sigma_up = min(sigma_next, eta sqrt(sigma_next^2
 * (sigma^2 - sigma_next^2)/sigma^2))`, `sigma_down = sqrt(sigma_next^2 - sigma_up^2)`,
 * `y <- y + (sigma_down - sigma) d + sigma_up z`.
 */
export function eulerAncestral(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: StochasticOptions & { readonly eta?: number },
): SolverResult {
  validateGrid(times);
  const eta = options.eta ?? 1;
  const ev = new ModelEvaluator(model, options.correctX0);
  const ve = veView(model.schedule, ev, times);
  let y: Float64Array = ve.enter(xT);
  const z = new Float64Array(y.length);
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const sg = ve.sig(s);
    const x0 = ve.x0At(y, s);
    const { up, down } = ancestralStep(sg, ve.sig(t), eta);
    options.noise(i, s, t, z);
    const next = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) {
      const d = (y[k]! - x0[k]!) / sg;
      next[k] = y[k]! + (down - sg) * d + up * z[k]!;
    }
    y = next;
  }
  return { x: ve.leave(y), nfe: ev.nfe };
}

/**
 * SDE-DPM-Solver++ 1 / 2M / 3M (k-diffusion `dpmpp_2m_sde` midpoint and `dpmpp_3m_sde`, diffusers
 * `sde-dpmsolver++`), written in `alpha, sigma` form:
 * `x_t = (sigma_t/sigma_s) e^{-eta h} x_s + alpha_t (1 - e^{-(1+eta) h}) D + sigma_t sqrt(1 - e^{-2 eta h}) z`
 * with D = x0 plus the multistep corrections. eta = 0 gives the deterministic (shipped) 2M/3M.
 */
export function sdeDpmSolverPlusPlus(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: StochasticOptions & { readonly order?: 1 | 2 | 3; readonly eta?: number },
): SolverResult {
  validateGrid(times);
  const order = options.order ?? 2;
  const eta = options.eta ?? 1;
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  let x: Float64Array = Float64Array.from(xT);
  const n = x.length;
  const z = new Float64Array(n);
  const hist: Float64Array[] = [];
  const hs: number[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const s = times[i]!;
    const t = times[i + 1]!;
    const m = ev.x0(x, s);
    hist.unshift(m);
    if (hist.length > 3) hist.pop();
    const st = sch.sigma(t);
    const at = sch.alpha(t);
    const next = new Float64Array(n);
    if (st === 0) {
      for (let k = 0; k < n; k++) next[k] = at * m[k]!;
      x = next;
      continue;
    }
    const h = sch.lambda(t) - sch.lambda(s);
    const hEta = h * (1 + eta);
    const lin = (st / sch.sigma(s)) * Math.exp(-eta * h);
    const c0 = -at * Math.expm1(-hEta);
    const phi2 = Math.expm1(-hEta) / hEta + 1;
    const phi3 = phi2 / hEta - 0.5;
    const used = Math.min(order, hist.length);
    for (let k = 0; k < n; k++) {
      let v = lin * x[k]! + c0 * m[k]!;
      if (used === 2 && order === 2) {
        const r = hs[0]! / h;
        v += 0.5 * c0 * (1 / r) * (m[k]! - hist[1]![k]!);
      } else if (used === 2) {
        const r = hs[0]! / h;
        v += at * phi2 * ((m[k]! - hist[1]![k]!) / r);
      } else if (used === 3) {
        const r0 = hs[0]! / h;
        const r1 = hs[1]! / h;
        const d10 = (m[k]! - hist[1]![k]!) / r0;
        const d11 = (hist[1]![k]! - hist[2]![k]!) / r1;
        const d1 = d10 + ((d10 - d11) * r0) / (r0 + r1);
        const d2 = (d10 - d11) / (r0 + r1);
        v += at * (phi2 * d1 - phi3 * d2);
      }
      next[k] = v;
    }
    if (eta > 0) {
      options.noise(i, s, t, z);
      const amp = st * Math.sqrt(-Math.expm1(-2 * eta * h));
      for (let k = 0; k < n; k++) next[k] = next[k]! + amp * z[k]!;
    }
    hs.unshift(h);
    if (hs.length > 2) hs.pop();
    x = next;
  }
  return { x, nfe: ev.nfe };
}

/**
 * k-diffusion DPM++(2S) ancestral in VE coordinates: a DPM-Solver++(2S) step (midpoint in log sigma~)
 * to `sigma_down`, then `sigma_up` noise (same split as Euler-ancestral). eta = 0 is the deterministic
 * DPM-Solver++(2S). The step to sigma = 0 is Euler. NFE = 2 per step.
 */
export function dpmpp2sAncestral(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: StochasticOptions & { readonly eta?: number },
): SolverResult {
  validateGrid(times);
  const eta = options.eta ?? 1;
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  const ve = veView(sch, ev, times);
  let y: Float64Array = ve.enter(xT);
  const n = y.length;
  const z = new Float64Array(n);
  for (let i = 0; i + 1 < times.length; i++) {
    const t = times[i]!;
    const sg = ve.sig(t);
    const { up, down } = ancestralStep(sg, ve.sig(times[i + 1]!), eta);
    const d0 = ve.x0At(y, t);
    const next = new Float64Array(n);
    if (down === 0) {
      for (let k = 0; k < n; k++) next[k] = d0[k]!;
    } else {
      const h = Math.log(sg) - Math.log(down);
      const sMid = Math.exp(Math.log(sg) - 0.5 * h);
      const y2 = y.map((v, k) => (sMid / sg) * v - Math.expm1(-0.5 * h) * d0[k]!);
      const d1 = ve.x0At(y2, sch.tOfLambda(-Math.log(sMid)));
      for (let k = 0; k < n; k++) next[k] = (down / sg) * y[k]! - Math.expm1(-h) * d1[k]!;
    }
    if (up > 0) {
      options.noise(i, t, times[i + 1]!, z);
      for (let k = 0; k < n; k++) next[k] = next[k]! + up * z[k]!;
    }
    y = next;
  }
  return { x: ve.leave(y), nfe: ev.nfe };
}
