import { mixtureG2, runTestBed } from '@modelsmith/diffusion';
import type { DemoDiffusion } from './demo-results.js';

/**
 * Error against NFE on the analytic G2 test bed for DDIM, DPM-Solver++(2M), UniPC-2 and
 * DPM-Solver++(3M) in its shipped ('reference') and third-order ('consistent') forms.
 */
export function solverComparison(quick: boolean): DemoDiffusion {
  const steps = quick ? [12, 24, 48] : [12, 24, 48, 96];
  const points = quick ? 32 : 64;
  const referenceSteps = quick ? 1000 : 2000;
  const mixture = mixtureG2();
  const main = runTestBed(mixture, {
    solvers: ['ddim', 'dpmpp-2m', 'unipc-2', 'dpmpp-3m'],
    steps,
    points,
    referenceSteps,
  });
  const consistent = runTestBed(mixture, {
    solvers: ['dpmpp-3m'],
    steps,
    points,
    referenceSteps,
    variant: 'consistent',
  });
  const rename = (solver: string, variant: string) =>
    solver === 'dpmpp-3m' ? `dpmpp-3m (${variant})` : solver;
  const results = [
    ...main.results.map((row) => ({ ...row, solver: rename(row.solver, 'reference') })),
    ...consistent.results.map((row) => ({ ...row, solver: rename(row.solver, 'consistent') })),
  ].map(({ solver, steps: count, nfe, medianError }) => ({ solver, steps: count, nfe, medianError }));
  const orders: Record<string, number> = {};
  for (const [solver, order] of Object.entries(main.orders)) orders[rename(solver, 'reference')] = order;
  for (const [solver, order] of Object.entries(consistent.orders))
    orders[rename(solver, 'consistent')] = order;
  return { mixture: 'G2', results, orders };
}
