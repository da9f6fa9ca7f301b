import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { CommonSolverOptions, SolverResult } from './solver-types.js';

const schema = z
  .object({
    /** 2 = DPM-Solver-12, 3 = DPM-Solver-23. */
    order: z.union([z.literal(2), z.literal(3)]).default(3),
    form: z.enum(['data', 'noise']).default('data'),
    tStart: z.number().positive(),
    tEnd: z.number().positive(),
    /** Values per sample: the error norm is an RMS per sample, maximised over the batch. */
    sampleSize: z.number().int().min(1),
    atol: z.number().positive().default(0.0078),
    rtol: z.number().positive().default(0.05),
    hInit: z.number().positive().default(0.05),
    theta: z.number().positive().max(1).default(0.9),
    tErr: z.number().positive().default(1e-5),
    /** Safety cap on rejected + accepted attempts. */
    maxAttempts: z.number().int().min(1).default(10_000),
  })
  .refine((o) => o.tStart > o.tEnd, { message: 'tStart must exceed tEnd' });

export type DpmSolverAdaptiveOptions = z.input<typeof schema> & CommonSolverOptions;

/**
 * Adaptive DPM-Solver-12 / -23 (official `dpm_solver_adaptive`): an embedded pair of singlestep updates
 * sharing model calls, step size in lambda controlled by
 * `E = max_batch RMS((x_hi - x_lo) / max(atol, rtol max(|x_lo|, |x_prev|)))`, accept if E ≤ 1,
 * `h ← min(theta h E^{-1/order}, lambda_end - lambda_s)`. Returns the NFE used (order per attempt).
 */
export function dpmSolverAdaptive(
  model: DiffusionModel,
  xT: Float64Array,
  options: DpmSolverAdaptiveOptions,
): SolverResult & { readonly accepted: number; readonly rejected: number } {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'dpmSolverAdaptive options', schema, rest);
  if (xT.length % o.sampleSize !== 0) {
    throw diffusionError(
      'E_SHAPE_MISMATCH',
      `xT has ${xT.length} values, not a multiple of sampleSize ${o.sampleSize}`,
    );
  }
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const data = o.form === 'data';
  const n = xT.length;
  // first-order map coefficients from a to b
  const lin = (a: number, b: number) =>
    data ? sch.sigma(b) / sch.sigma(a) : Math.exp(sch.logAlpha(b) - sch.logAlpha(a));
  const c0 = (b: number, rh: number) =>
    data ? -sch.alpha(b) * Math.expm1(-rh) : -sch.sigma(b) * Math.expm1(rh);
  const first = (x: Float64Array, a: number, b: number, h: number, m: Float64Array) => {
    const l = lin(a, b);
    const c = c0(b, h);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = l * x[k]! + c * m[k]!;
    return out;
  };
  let x: Float64Array = Float64Array.from(xT);
  let xPrev: Float64Array = x;
  let s = o.tStart;
  let lamS = sch.lambda(s);
  const lam0 = sch.lambda(o.tEnd);
  let h = o.hInit;
  let accepted = 0;
  let rejected = 0;
  let attempts = 0;
  while (Math.abs(s - o.tEnd) > o.tErr) {
    if (++attempts > o.maxAttempts) {
      throw diffusionError(
        'E_NUMERIC',
        `adaptive solver did not reach tEnd in ${o.maxAttempts} attempts; loosen atol/rtol`,
      );
    }
    const t = sch.tOfLambda(lamS + h);
    const ms = ev.predict(o.form, x, s);
    const r1 = o.order === 2 ? 0.5 : 1 / 3;
    const s1 = sch.tOfLambda(lamS + r1 * h);
    const u1 = first(x, s, s1, r1 * h, ms);
    const m1 = ev.predict(o.form, u1, s1);
    const l = lin(s, t);
    const cT = c0(t, h);
    let lower: Float64Array;
    let higher: Float64Array;
    if (o.order === 2) {
      lower = first(x, s, t, h, ms);
      higher = new Float64Array(n);
      for (let k = 0; k < n; k++) higher[k] = l * x[k]! + cT * ms[k]! + (0.5 / r1) * cT * (m1[k]! - ms[k]!);
    } else {
      lower = new Float64Array(n);
      for (let k = 0; k < n; k++) lower[k] = l * x[k]! + cT * ms[k]! + (0.5 / r1) * cT * (m1[k]! - ms[k]!);
      const r2 = 2 / 3;
      const s2 = sch.tOfLambda(lamS + r2 * h);
      const phi22 = data
        ? sch.alpha(s2) * (Math.expm1(-r2 * h) / (r2 * h) + 1)
        : -sch.sigma(s2) * (Math.expm1(r2 * h) / (r2 * h) - 1);
      const l2 = lin(s, s2);
      const c2 = c0(s2, r2 * h);
      const u2 = new Float64Array(n);
      for (let k = 0; k < n; k++) u2[k] = l2 * x[k]! + c2 * ms[k]! + (r2 / r1) * phi22 * (m1[k]! - ms[k]!);
      const m2 = ev.predict(o.form, u2, s2);
      const phi2 = data ? sch.alpha(t) * (Math.expm1(-h) / h + 1) : -sch.sigma(t) * (Math.expm1(h) / h - 1);
      higher = new Float64Array(n);
      for (let k = 0; k < n; k++) higher[k] = l * x[k]! + cT * ms[k]! + (1 / r2) * phi2 * (m2[k]! - ms[k]!);
    }
    let e = 0;
    for (let off = 0; off < n; off += o.sampleSize) {
      let acc = 0;
      for (let k = off; k < off + o.sampleSize; k++) {
        const delta = Math.max(o.atol, o.rtol * Math.max(Math.abs(lower[k]!), Math.abs(xPrev[k]!)));
        acc += ((higher[k]! - lower[k]!) / delta) ** 2;
      }
      e = Math.max(e, Math.sqrt(acc / o.sampleSize));
    }
    if (e <= 1) {
      x = higher;
      s = t;
      xPrev = lower;
      lamS = sch.lambda(s);
      accepted++;
    } else {
      rejected++;
    }
    h = Math.min(o.theta * h * e ** (-1 / o.order), lam0 - lamS);
  }
  return { x, nfe: ev.nfe, accepted, rejected };
}
