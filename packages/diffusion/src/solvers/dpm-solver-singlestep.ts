import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import type { CommonSolverOptions, PredictionForm, SolverResult } from './solver-types.js';
import { validateGrid } from './validate-grid.js';

const schema = z.object({
  /** One order (1, 2 or 3) per interval of the outer grid, or a single order for all. */
  orders: z.union([z.array(z.number().int().min(1).max(3)), z.number().int().min(1).max(3)]).default(2),
  form: z.enum(['data', 'noise']).default('data'),
  solverType: z.enum(['midpoint', 'taylor']).default('midpoint'),
});

export type DpmSolverSinglestepOptions = z.input<typeof schema> & CommonSolverOptions;

interface Stage {
  readonly sch: NoiseSchedule;
  readonly ev: ModelEvaluator;
  readonly form: PredictionForm;
}

/** First-order exponential-integrator map from s to t given the model output at s. */
function firstOrder(
  st: Stage,
  x: Float64Array,
  s: number,
  t: number,
  m: Float64Array,
  out: Float64Array,
): void {
  const { sch } = st;
  const h = sch.lambda(t) - sch.lambda(s);
  if (st.form === 'data') {
    const lin = sch.sigma(t) / sch.sigma(s);
    const c = -sch.alpha(t) * Math.expm1(-h);
    for (let j = 0; j < x.length; j++) out[j] = lin * x[j]! + c * m[j]!;
  } else {
    const lin = Math.exp(sch.logAlpha(t) - sch.logAlpha(s));
    const c = -sch.sigma(t) * Math.expm1(h);
    for (let j = 0; j < x.length; j++) out[j] = lin * x[j]! + c * m[j]!;
  }
}

/**
 * One singlestep DPM-Solver(++) update of the given order from s to t (official `dpm_solver_pytorch.py`
 * formulas, r1 = 1/2 for order 2; r1 = 1/3, r2 = 2/3 for order 3). Uses `order` model calls.
 */
function singlestepUpdate(
  st: Stage,
  x: Float64Array,
  s: number,
  t: number,
  order: number,
  solverType: 'midpoint' | 'taylor',
): Float64Array {
  const { sch, ev, form } = st;
  const n = x.length;
  const lamS = sch.lambda(s);
  const h = sch.lambda(t) - lamS;
  const ms = ev.predict(form, x, s);
  const out = new Float64Array(n);
  if (order === 1) {
    firstOrder(st, x, s, t, ms, out);
    return out;
  }
  const data = form === 'data';
  const linTo = (u: number) =>
    data ? sch.sigma(u) / sch.sigma(s) : Math.exp(sch.logAlpha(u) - sch.logAlpha(s));
  // data: -alpha_u expm1(-r h); noise: -sigma_u expm1(r h)
  const firstCoef = (u: number, rh: number) =>
    data ? -sch.alpha(u) * Math.expm1(-rh) : -sch.sigma(u) * Math.expm1(rh);
  if (order === 2) {
    const r1 = 0.5;
    const s1 = sch.tOfLambda(lamS + r1 * h);
    const u = new Float64Array(n);
    firstOrder(st, x, s, s1, ms, u);
    const m1 = ev.predict(form, u, s1);
    const lin = linTo(t);
    const c0 = firstCoef(t, h);
    let c1: number;
    if (solverType === 'midpoint') c1 = (0.5 / r1) * c0;
    else
      c1 = data
        ? (1 / r1) * sch.alpha(t) * (Math.expm1(-h) / h + 1)
        : -(1 / r1) * sch.sigma(t) * (Math.expm1(h) / h - 1);
    for (let j = 0; j < n; j++) out[j] = lin * x[j]! + c0 * ms[j]! + c1 * (m1[j]! - ms[j]!);
    return out;
  }
  const r1 = 1 / 3;
  const r2 = 2 / 3;
  const s1 = sch.tOfLambda(lamS + r1 * h);
  const s2 = sch.tOfLambda(lamS + r2 * h);
  const u1 = new Float64Array(n);
  firstOrder(st, x, s, s1, ms, u1);
  const m1 = ev.predict(form, u1, s1);
  // phi_22 terms: data +alpha (expm1(-r2 h)/(r2 h) + 1), noise -sigma (expm1(r2 h)/(r2 h) - 1)
  const phi22 = data
    ? sch.alpha(s2) * (Math.expm1(-r2 * h) / (r2 * h) + 1)
    : -sch.sigma(s2) * (Math.expm1(r2 * h) / (r2 * h) - 1);
  const linS2 = linTo(s2);
  const c0s2 = firstCoef(s2, r2 * h);
  const u2 = new Float64Array(n);
  for (let j = 0; j < n; j++) u2[j] = linS2 * x[j]! + c0s2 * ms[j]! + (r2 / r1) * phi22 * (m1[j]! - ms[j]!);
  const m2 = ev.predict(form, u2, s2);
  const lin = linTo(t);
  const c0 = firstCoef(t, h);
  const phi2 = data ? sch.alpha(t) * (Math.expm1(-h) / h + 1) : -sch.sigma(t) * (Math.expm1(h) / h - 1);
  if (solverType === 'midpoint') {
    for (let j = 0; j < n; j++) out[j] = lin * x[j]! + c0 * ms[j]! + (1 / r2) * phi2 * (m2[j]! - ms[j]!);
  } else {
    // Taylor: D1 ~ h m', D2 ~ h^2 m'' from both stages, with phi2 / phi3 coefficients.
    const phi3 = data
      ? sch.alpha(t) * ((Math.expm1(-h) / h + 1) / h - 0.5)
      : -sch.sigma(t) * ((Math.expm1(h) / h - 1) / h - 0.5);
    for (let j = 0; j < n; j++) {
      const d10 = (m1[j]! - ms[j]!) / r1;
      const d11 = (m2[j]! - ms[j]!) / r2;
      const d1 = (r2 * d10 - r1 * d11) / (r2 - r1);
      const d2 = (2 * (d11 - d10)) / (r2 - r1);
      out[j] = lin * x[j]! + c0 * ms[j]! + phi2 * d1 + (data ? -phi3 : phi3) * d2;
    }
  }
  return out;
}

/**
 * Singlestep DPM-Solver / DPM-Solver++ over an outer grid: interval i uses `orders[i]` model calls
 * (intermediate times placed in lambda). NFE = sum of orders.
 */
export function dpmSolverSinglestep(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: DpmSolverSinglestepOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'dpmSolverSinglestep options', schema, rest);
  validateGrid(times);
  const steps = times.length - 1;
  const orders = typeof o.orders === 'number' ? new Array<number>(steps).fill(o.orders) : o.orders;
  if (orders.length !== steps) {
    throw diffusionError(
      'E_INPUT',
      `orders has ${orders.length} entries but the grid has ${steps} intervals`,
    );
  }
  const st: Stage = { sch: model.schedule, ev: new ModelEvaluator(model, correctX0), form: o.form };
  let x: Float64Array = Float64Array.from(xT);
  for (let i = 0; i < steps; i++)
    x = singlestepUpdate(st, x, times[i]!, times[i + 1]!, orders[i]!, o.solverType);
  return { x, nfe: st.ev.nfe };
}

/**
 * DPM-Solver-fast order schedule for a budget of `steps` NFE (official `singlestep`):
 * order 3 → [3,…,3,2,1] / [3,…,3,1] / [3,…,3,2] for steps mod 3 = 0 / 1 / 2; order 2 → [2,…,2] or [2,…,2,1].
 */
export function dpmSolverFastOrders(steps: number, order: 1 | 2 | 3): number[] {
  if (!Number.isInteger(steps) || steps < 1)
    throw diffusionError('E_INPUT', `steps must be a positive integer`);
  if (order === 3) {
    const k = Math.floor(steps / 3) + 1;
    if (steps % 3 === 0) return [...new Array<number>(k - 2).fill(3), 2, 1];
    if (steps % 3 === 1) return [...new Array<number>(k - 1).fill(3), 1];
    return [...new Array<number>(k - 1).fill(3), 2];
  }
  if (order === 2) {
    if (steps % 2 === 0) return new Array<number>(steps / 2).fill(2);
    return [...new Array<number>(Math.floor(steps / 2)).fill(2), 1];
  }
  return new Array<number>(steps).fill(1);
}
