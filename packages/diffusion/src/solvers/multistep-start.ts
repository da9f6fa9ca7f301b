import type { DiffusionModel, X0Correction } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';

/** The state every multistep solver (DPM-Solver 2M/3M, UniPC) starts from. */
export interface MultistepStart {
  readonly ev: ModelEvaluator;
  readonly sch: NoiseSchedule;
  /** Number of intervals. */
  readonly steps: number;
  /** lambda at every grid time. */
  readonly lam: number[];
  /** A copy of x_T. */
  readonly x: Float64Array;
  /** Model outputs in `form` (newest last), seeded with the one at (x_T, t_0), and their lambdas. */
  readonly hist: Float64Array[];
  readonly histLam: number[];
}

/** Evaluates the model once at (x_T, t_0) in `form` and sets up the history (the grid is validated by the caller). */
export function startMultistep(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  form: 'data' | 'noise',
  correctX0: X0Correction | undefined,
): MultistepStart {
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const lam = Array.from(times, (t) => sch.lambda(t));
  const x = Float64Array.from(xT);
  return {
    ev,
    sch,
    steps: times.length - 1,
    lam,
    x,
    hist: [ev.predict(form, x, times[0]!)],
    histLam: [lam[0]!],
  };
}

/** Order used at `step` (1-based): warm up 1, 2, … and, with `lowerOrderFinal`, never more than the steps left. */
export function multistepOrder(
  maxOrder: number,
  step: number,
  steps: number,
  lowerOrderFinal: boolean,
): number {
  const order = Math.min(maxOrder, step);
  return lowerOrderFinal ? Math.min(order, steps + 1 - step) : order;
}
