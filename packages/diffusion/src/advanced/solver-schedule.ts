import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import type { CommonSolverOptions, SolverResult } from '../solvers/solver-types.js';
import { uniPcStep } from '../solvers/unipc-step.js';
import { validateGrid } from '../solvers/validate-grid.js';

/** What one step of a per-step solver schedule does (USF / S^3 style). */
export interface StepRule {
  /** Predictor order: how many history points enter the extrapolation (capped by what exists). */
  readonly order: 1 | 2 | 3;
  /** Extrapolate the data prediction x0 or the noise eps. */
  readonly form: 'data' | 'noise';
  /** Apply a UniC corrector after the step (its model call is reused as history; +1 NFE on the last step). */
  readonly corrector: boolean;
}

interface HistoryPoint {
  readonly x0: Float64Array;
  readonly eps: Float64Array;
  readonly lambda: number;
}

/**
 * Replays a per-step solver schedule: step i runs a UniP predictor of `rules[i].order` (bh2) in
 * `rules[i].form`, optionally followed by UniC. With all rules `{order: p, form: 'data', corrector: true}`
 * this is UniPC-p; with `corrector: false` and order 2 it is DPM-Solver++(2M).
 */
export function runSolverSchedule(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  rules: readonly StepRule[],
  options: CommonSolverOptions = {},
): SolverResult {
  validateGrid(times);
  const steps = times.length - 1;
  if (rules.length !== steps) {
    throw diffusionError('E_INPUT', `rules has ${rules.length} entries but the grid has ${steps} intervals`);
  }
  const ev = new ModelEvaluator(model, options.correctX0);
  const sch = model.schedule;
  const evaluate = (x: Float64Array, t: number): HistoryPoint => {
    const x0 = ev.x0(x, t);
    const a = sch.alpha(t);
    const s = sch.sigma(t);
    return { x0, eps: x0.map((v, k) => (x[k]! - a * v) / s), lambda: sch.lambda(t) };
  };
  let x: Float64Array = Float64Array.from(xT);
  const hist: HistoryPoint[] = [evaluate(x, times[0]!)];
  for (let step = 1; step <= steps; step++) {
    const rule = rules[step - 1]!;
    const data = rule.form === 'data';
    const s = times[step - 1]!;
    const t = times[step]!;
    const order = Math.min(rule.order, hist.length);
    const cur = hist[hist.length - 1]!;
    const pick = (hp: HistoryPoint) => (data ? hp.x0 : hp.eps);
    const m0 = pick(cur);
    const h = sch.lambda(t) - cur.lambda;
    const rks: number[] = [];
    const d1s: Float64Array[] = [];
    for (let i = 1; i < order; i++) {
      const hp = hist[hist.length - 1 - i]!;
      const rk = (hp.lambda - cur.lambda) / h;
      rks.push(rk);
      const mi = pick(hp);
      d1s.push(m0.map((v, k) => (mi[k]! - v) / rk));
    }
    rks.push(1);
    const update = uniPcStep(sch, x, s, t, h, rule.form, m0, rks, d1s, 'bh2', rule.corrector);
    if (rule.corrector) {
      const ptAtT = evaluate(update.predicted, t);
      x = update.correct(pick(ptAtT));
      hist.push(ptAtT);
    } else {
      x = update.predicted;
      if (step < steps) hist.push(evaluate(x, t));
    }
    if (hist.length > 3) hist.shift();
  }
  return { x, nfe: ev.nfe };
}

const searchSchema = z.object({
  seed: z.number().int(),
  /** Number of schedules evaluated in the local search after the uniform baselines. */
  evaluations: z.number().int().min(1).default(60),
  orders: z
    .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
    .min(1)
    .default([1, 2, 3]),
  forms: z
    .array(z.enum(['data', 'noise']))
    .min(1)
    .default(['data']),
  correctors: z.array(z.boolean()).min(1).default([true, false]),
});

export type SolverScheduleSearchOptions = z.input<typeof searchSchema>;

/**
 * A small search over per-step solver schedules on a user metric (lower is better), in the spirit of
 * S^3: evaluate every uniform schedule (same rule at each step; the corrector is dropped on the last
 * step so NFE stays = steps), then a seeded local search that mutates one step's rule at a time and
 * keeps improvements. Returns the best rules, their metric, and how many schedules were tried.
 */
export function searchSolverSchedule(
  run: (rules: readonly StepRule[]) => number,
  steps: number,
  options: SolverScheduleSearchOptions,
): { rules: StepRule[]; metric: number; tried: number } {
  const o = parseOptions(PACKAGE_NAME, 'searchSolverSchedule options', searchSchema, options);
  if (!Number.isInteger(steps) || steps < 1)
    throw diffusionError('E_INPUT', `steps must be a positive integer`);
  const choices: StepRule[] = [];
  for (const order of o.orders)
    for (const form of o.forms)
      for (const corrector of o.correctors) choices.push({ order, form, corrector });
  const finalise = (rules: StepRule[]) =>
    rules.map((r, i) => (i === steps - 1 ? { ...r, corrector: false } : r));
  let best: StepRule[] = [];
  let bestMetric = Infinity;
  let tried = 0;
  const consider = (rules: StepRule[]) => {
    const m = run(rules);
    tried++;
    if (Number.isFinite(m) && m < bestMetric) {
      bestMetric = m;
      best = rules;
    }
  };
  for (const c of choices) consider(finalise(new Array<StepRule>(steps).fill(c)));
  if (best.length === 0)
    throw diffusionError('E_NUMERIC', 'the metric was not finite for any uniform schedule');
  const rng = createRandom(o.seed, 'solver-schedule').stream();
  for (let e = 0; e < o.evaluations; e++) {
    const candidate = [...best];
    const i = rng.integer(steps);
    candidate[i] = choices[rng.integer(choices.length)]!;
    consider(finalise(candidate));
  }
  return { rules: best, metric: bestMetric, tried };
}
