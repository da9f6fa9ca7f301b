import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { makeTimeGrid, TIME_GRID_KINDS } from '../grid/time-grid.js';
import type { DiffusionModel, X0Correction } from '../model/diffusion-model.js';
import { ddpmAncestral, eulerAncestral, sdeDpmSolverPlusPlus } from '../stochastic/ancestral-samplers.js';
import { perSampleNoise } from '../stochastic/noise-sampler.js';
import { saSolver } from '../stochastic/sa-solver.js';
import { ddim } from './ddim.js';
import { deis } from './deis.js';
import { dpmSolverMultistep } from './dpm-solver-multistep.js';
import { dpmSolverSinglestep } from './dpm-solver-singlestep.js';
import { dpm2Sampler } from './dpm2.js';
import { edmSampler } from './edm-euler-heun.js';
import { pndm, pndmStepsForNfe } from './pndm.js';
import type { SolverResult } from './solver-types.js';
import { uniPc } from './unipc.js';

/** Named deterministic solvers (the `modelsmith diffusion bench/sample` names). */
export const SOLVER_NAMES = [
  'ddim',
  'dpm-solver-2',
  'dpm-solver-3',
  'dpmpp-2s',
  'dpmpp-2m',
  'dpmpp-3m',
  'unipc-1',
  'unipc-2',
  'unipc-3',
  'deis-1',
  'deis-2',
  'deis-3',
  'euler',
  'heun',
  'pndm',
  'plms',
  'sa-solver-ode',
] as const;

export type SolverName = (typeof SOLVER_NAMES)[number];

/** Named samplers that need noise (`seed` required in `sample`). */
export const STOCHASTIC_SOLVER_NAMES = [
  'ddpm',
  'euler-ancestral',
  'dpm2-ancestral',
  'sde-dpmpp-2m',
  'sde-dpmpp-3m',
  'sa-solver',
] as const;

export type StochasticSolverName = (typeof STOCHASTIC_SOLVER_NAMES)[number];

/**
 * Model calls per grid interval of a named solver (singlestep order k: k; Heun: 2; others 1). PNDM and
 * PLMS make 1 call per interval after a warm-up that costs 9 (PRK) or 1 (PLMS' Heun start) extra calls.
 */
export function callsPerInterval(solver: SolverName | StochasticSolverName): number {
  if (solver === 'dpm-solver-3') return 3;
  return solver === 'dpm-solver-2' ||
    solver === 'dpmpp-2s' ||
    solver === 'heun' ||
    solver === 'dpm2-ancestral'
    ? 2
    : 1;
}

const schema = z
  .object({
    solver: z.enum([...SOLVER_NAMES, ...STOCHASTIC_SOLVER_NAMES]),
    /** Budget of model calls (NFE); the grid gets nfe / callsPerInterval intervals. */
    nfe: z.number().int().min(1),
    grid: z.enum(TIME_GRID_KINDS).default('logsnr'),
    tStart: z.number().positive(),
    tEnd: z.number().positive(),
    rho: z.number().positive().optional(),
    variant: z.enum(['reference', 'consistent']).default('reference'),
    /** Seed of the per-sample noise of stochastic samplers. */
    seed: z.number().int().optional(),
    /** Values per sample (for per-sample noise streams); default: the whole batch is one sample. */
    sampleSize: z.number().int().min(1).optional(),
  })
  .refine((o) => o.tStart > o.tEnd, { message: 'tStart must exceed tEnd' })
  .refine((o) => !(STOCHASTIC_SOLVER_NAMES as readonly string[]).includes(o.solver) || o.seed !== undefined, {
    message: 'stochastic samplers need a seed',
    path: ['seed'],
  });

export type SampleOptions = z.input<typeof schema> & { readonly correctX0?: X0Correction };

/**
 * Runs a named solver from `xT` at `tStart` to `tEnd` with a budget of `nfe` model calls.
 * Noise-form solvers (`dpm-solver-2/3`, `deis-*`, `pndm`, `plms`) extrapolate eps, the rest x0. Stochastic samplers
 * draw per-sample noise from `seed` (sample p of size `sampleSize` uses `createRandom(seed, p)`).
 */
export function sample(model: DiffusionModel, xT: Float64Array, options: SampleOptions): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'sample options', schema, rest);
  const steps =
    o.solver === 'pndm' || o.solver === 'plms'
      ? pndmStepsForNfe(o.nfe, o.solver === 'plms')
      : Math.max(1, Math.floor(o.nfe / callsPerInterval(o.solver)));
  const times = makeTimeGrid(model.schedule, {
    kind: o.grid,
    steps,
    tStart: o.tStart,
    tEnd: o.tEnd,
    ...(o.rho === undefined ? {} : { rho: o.rho }),
  });
  const c = correctX0 ? { correctX0 } : {};
  const noise = () => perSampleNoise(o.seed!, o.sampleSize ?? xT.length);
  switch (o.solver) {
    case 'ddpm':
      return ddpmAncestral(model, xT, times, { ...c, noise: noise() });
    case 'euler-ancestral':
      return eulerAncestral(model, xT, times, { ...c, noise: noise() });
    case 'dpm2-ancestral':
      return dpm2Sampler(model, xT, times, { ...c, ancestral: { noise: noise() } });
    case 'sde-dpmpp-2m':
    case 'sde-dpmpp-3m':
      return sdeDpmSolverPlusPlus(model, xT, times, {
        ...c,
        noise: noise(),
        order: o.solver === 'sde-dpmpp-2m' ? 2 : 3,
      });
    case 'sa-solver':
      // diffusers' default orders (predictor 2, corrector 2) with a constant tau = 1.
      return saSolver(model, xT, times, {
        ...c,
        noise: noise(),
        tau: 1,
        predictorOrder: 2,
        correctorOrder: 2,
      });
    case 'sa-solver-ode':
      return saSolver(model, xT, times, { ...c, tau: 0, predictorOrder: 3, correctorOrder: 3 });
    case 'pndm':
    case 'plms':
      return pndm(model, xT, times, { ...c, skipPrkSteps: o.solver === 'plms' });
    case 'ddim':
      return ddim(model, xT, times, c);
    case 'dpm-solver-2':
    case 'dpm-solver-3':
      return dpmSolverSinglestep(model, xT, times, {
        ...c,
        orders: o.solver === 'dpm-solver-2' ? 2 : 3,
        form: 'noise',
      });
    case 'dpmpp-2s':
      return dpmSolverSinglestep(model, xT, times, { ...c, orders: 2, form: 'data' });
    case 'dpmpp-2m':
      return dpmSolverMultistep(model, xT, times, { ...c, order: 2 });
    case 'dpmpp-3m':
      return dpmSolverMultistep(model, xT, times, { ...c, order: 3, variant: o.variant });
    case 'unipc-1':
    case 'unipc-2':
    case 'unipc-3':
      return uniPc(model, xT, times, { ...c, order: Number(o.solver.slice(-1)), variant: 'bh2' });
    case 'deis-1':
    case 'deis-2':
    case 'deis-3':
      return deis(model, xT, times, { ...c, order: Number(o.solver.slice(-1)) });
    case 'euler':
      return edmSampler(model, xT, times, { ...c, method: 'euler' });
    default:
      return edmSampler(model, xT, times, { ...c, method: 'heun' });
  }
}
