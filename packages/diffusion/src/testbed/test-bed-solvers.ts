import type { TimeGridKind } from '../grid/time-grid.js';
import { SOLVER_NAMES, type SolverName } from '../solvers/sample.js';

/** Solver names understood by `runTestBed` and `modelsmith diffusion bench`. */
export const TEST_BED_SOLVERS = SOLVER_NAMES;

export type TestBedSolver = SolverName;

/** Which test-bed problem a solver runs on by default, and its default grid (spec §6.3–6.5). */
export function testBedDefaults(solver: TestBedSolver): { problem: 'vp' | 'edm'; grid: TimeGridKind } {
  if (solver === 'euler' || solver === 'heun') return { problem: 'edm', grid: 'karras' };
  if (solver.startsWith('deis-')) return { problem: 'vp', grid: 'time-quadratic' };
  return { problem: 'vp', grid: 'logsnr' };
}
