import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { TIME_GRID_KINDS } from '../grid/time-grid.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import { veSchedule } from '../schedule/ve-schedule.js';
import { vpLinearSchedule } from '../schedule/vp-linear-schedule.js';
import { sample } from '../solvers/sample.js';
import type { SolverResult } from '../solvers/solver-types.js';
import type { GaussianMixture } from './gaussian-mixture.js';
import { mixtureModel, mixtureStartPoints } from './mixture-denoiser.js';
import { rk4Reference } from './rk4-reference.js';
import { TEST_BED_SOLVERS, type TestBedSolver, testBedDefaults } from './test-bed-solvers.js';

const schema = z.object({
  solvers: z.array(z.enum(TEST_BED_SOLVERS)).min(1),
  /** NFE budgets, e.g. [12, 24, 48, 96, 192, 384]. */
  steps: z.array(z.number().int().min(1)).min(1),
  /** Overrides each solver's default grid. */
  grid: z.enum(TIME_GRID_KINDS).optional(),
  /** 3rd-order multistep variant for `dpmpp-3m`. */
  variant: z.enum(['reference', 'consistent']).default('reference'),
  /** Number of spec start points (≤ 256 keeps them identical to the spec's first points). */
  points: z.number().int().min(1).default(256),
  /** RK4 steps of the reference. */
  referenceSteps: z.number().int().min(10).default(4000),
  /** Error threshold for `fractionAbove`. */
  threshold: z.number().positive().default(0.1),
});

export type RunTestBedOptions = z.input<typeof schema>;

export interface TestBedResult {
  readonly solver: TestBedSolver;
  readonly steps: number;
  readonly nfe: number;
  readonly medianError: number;
  readonly fractionAbove: number;
}

export interface TestBedReport {
  readonly results: TestBedResult[];
  /** Fitted order per solver: minus the least-squares slope of log error vs log NFE over the last three runs. */
  readonly orders: Record<string, number>;
}

/** The two test-bed problems of spec §6.3 for a mixture. */
export interface TestBedProblem {
  readonly schedule: NoiseSchedule;
  readonly tStart: number;
  readonly tEnd: number;
  readonly xT: Float64Array;
}

export function testBedProblem(kind: 'vp' | 'edm', dim: number, points = 256): TestBedProblem {
  if (kind === 'vp')
    return { schedule: vpLinearSchedule(), tStart: 1, tEnd: 1e-3, xT: mixtureStartPoints(dim, points) };
  return {
    schedule: veSchedule(),
    tStart: 80,
    tEnd: 0.002,
    xT: mixtureStartPoints(dim, points, 80 / Math.sqrt(3)),
  };
}

const referenceCache = new WeakMap<GaussianMixture, Map<string, Float64Array>>();

/**
 * RK4 reference of a test-bed problem, memoised per mixture object, problem, point count and step
 * count (the reference costs 4 × steps mixture evaluations).
 */
export function testBedReference(
  mix: GaussianMixture,
  kind: 'vp' | 'edm',
  points = 256,
  steps = 4000,
): Float64Array {
  let byKey = referenceCache.get(mix);
  if (byKey === undefined) {
    byKey = new Map();
    referenceCache.set(mix, byKey);
  }
  const key = `${kind}:${points}:${steps}`;
  let ref = byKey.get(key);
  if (ref === undefined) {
    const p = testBedProblem(kind, mix.dim, points);
    ref = rk4Reference(mix, p.schedule, p.xT, p.tStart, p.tEnd, steps);
    byKey.set(key, ref);
  }
  return ref;
}

/** Per-point `||x - ref|| / sqrt(d)`. */
export function pointErrors(x: Float64Array, ref: Float64Array, dim: number): Float64Array {
  const n = x.length / dim;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += (x[p * dim + i]! - ref[p * dim + i]!) ** 2;
    out[p] = Math.sqrt(s / dim);
  }
  return out;
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Minus the least-squares slope of log(err) against log(nfe). */
export function fitOrder(nfe: readonly number[], err: readonly number[]): number {
  const xs = nfe.map(Math.log);
  const ys = err.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return -num / den;
}

/** Runs one named solver on a test-bed problem with a budget of `nfe` model calls. */
export function runTestBedSolver(
  solver: TestBedSolver,
  mix: GaussianMixture,
  problem: TestBedProblem,
  nfe: number,
  options: { grid?: (typeof TIME_GRID_KINDS)[number]; variant?: 'reference' | 'consistent' } = {},
): SolverResult {
  const { schedule, tStart, tEnd, xT } = problem;
  // Noise-form solvers get an eps-predicting oracle so no digits are lost converting at small sigma.
  const noise =
    solver === 'dpm-solver-2' ||
    solver === 'dpm-solver-3' ||
    solver.startsWith('deis-') ||
    solver === 'pndm' ||
    solver === 'plms';
  return sample(mixtureModel(mix, schedule, noise ? 'eps' : 'x0'), xT, {
    solver,
    nfe,
    grid: options.grid ?? testBedDefaults(solver).grid,
    tStart,
    tEnd,
    variant: options.variant ?? 'reference',
  });
}

/**
 * Runs solvers against the RK4 reference on a Gaussian-mixture test bed (spec §6): per solver and NFE
 * budget the NFE used, the median per-point error and the fraction of points above `threshold`, plus
 * the fitted order over the last three budgets.
 */
export function runTestBed(mix: GaussianMixture, options: RunTestBedOptions): TestBedReport {
  const o = parseOptions(PACKAGE_NAME, 'runTestBed options', schema, options);
  const refs = new Map<string, { problem: TestBedProblem; ref: Float64Array }>();
  const results: TestBedResult[] = [];
  const orders: Record<string, number> = {};
  for (const solver of o.solvers) {
    const kind = testBedDefaults(solver).problem;
    let entry = refs.get(kind);
    if (entry === undefined) {
      const problem = testBedProblem(kind, mix.dim, o.points);
      const ref = rk4Reference(
        mix,
        problem.schedule,
        problem.xT,
        problem.tStart,
        problem.tEnd,
        o.referenceSteps,
      );
      entry = { problem, ref };
      refs.set(kind, entry);
    }
    const mine: TestBedResult[] = [];
    for (const steps of o.steps) {
      const run = runTestBedSolver(solver, mix, entry.problem, steps, {
        ...(o.grid ? { grid: o.grid } : {}),
        variant: o.variant,
      });
      const errs = pointErrors(run.x, entry.ref, mix.dim);
      let above = 0;
      for (const e of errs) if (e > o.threshold) above++;
      mine.push({
        solver,
        steps,
        nfe: run.nfe,
        medianError: median(errs),
        fractionAbove: above / errs.length,
      });
    }
    results.push(...mine);
    if (mine.length >= 2) {
      const last = mine.slice(-3);
      orders[solver] = fitOrder(
        last.map((r) => r.nfe),
        last.map((r) => r.medianError),
      );
    }
  }
  return { results, orders };
}
