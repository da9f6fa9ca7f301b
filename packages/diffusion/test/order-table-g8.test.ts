import { describe, expect, it } from 'vitest';
import {
  dpmSolverMultistep,
  fitOrder,
  makeTimeGrid,
  mixtureG2,
  mixtureG8,
  mixtureModel,
  pointErrors,
  runTestBed,
  type TestBedSolver,
  testBedProblem,
  testBedReference,
} from '../src/index.js';

const mix = mixtureG8();

// Spec §6.5, G8 (value at 384 NFE; slope over NFE 96, 192, 384).
const G8: [TestBedSolver, number, number][] = [
  ['ddim', 4.4e-3, 1.0],
  ['dpmpp-2s', 1.1e-4, 1.98],
  ['dpm-solver-3', 4.8e-7, 3.16],
  ['dpmpp-2m', 3.1e-5, 2.01],
  ['dpmpp-3m', 9.6e-6, 2.0],
  ['unipc-1', 8.3e-5, 2.0],
  ['unipc-2', 8.8e-7, 3.0],
  ['unipc-3', 1.3e-8, 3.86],
  ['deis-1', 3.1e-3, 1.0],
  ['deis-2', 4.5e-5, 1.98],
  ['deis-3', 1.0e-6, 2.9],
  ['euler', 3.3e-3, 1.0],
  ['heun', 1.7e-4, 2.03],
];
const NFE = [96, 192, 384];
const report = runTestBed(mix, { solvers: G8.map((r) => r[0]), steps: NFE });

describe('G8 order table (spec §6.5)', () => {
  it.each(G8)('%s: error at 384 NFE within 1.5x and slope within ±0.15', (solver, err384, slope) => {
    const got = report.results.find((r) => r.solver === solver && r.steps === 384)!.medianError;
    expect(got / err384).toBeLessThan(1.5);
    expect(err384 / got).toBeLessThan(1.5);
    expect(Math.abs(report.orders[solver]! - slope)).toBeLessThanOrEqual(0.15);
  });

  it('consistent 3M: 3.5e-7 at 384 NFE, slope 3.12', () => {
    const c = runTestBed(mix, { solvers: ['dpmpp-3m'], steps: NFE, variant: 'consistent' });
    const got = c.results[2]!.medianError;
    expect(Math.max(got / 3.5e-7, 3.5e-7 / got)).toBeLessThan(1.5);
    expect(Math.abs(c.orders['dpmpp-3m']! - 3.12)).toBeLessThanOrEqual(0.15);
  });

  it.each([
    ['G2', mixtureG2(), 6.2e-5],
    ['G8', mix, 4.4e-5],
  ] as const)('k-diffusion DPM++(2M) on EDM/Karras, %s: value at 384 and slope 2.03', (_, m, err384) => {
    const p = testBedProblem('edm', m.dim);
    const ref = testBedReference(m, 'edm');
    const model = mixtureModel(m, p.schedule, 'x0');
    const errs = NFE.map((n) => {
      const times = makeTimeGrid(p.schedule, { kind: 'karras', steps: n, tStart: p.tStart, tEnd: p.tEnd });
      const e = pointErrors(dpmSolverMultistep(model, p.xT, times, { order: 2 }).x, ref, m.dim).sort();
      return (e[127]! + e[128]!) / 2;
    });
    expect(Math.max(errs[2]! / err384, err384 / errs[2]!)).toBeLessThan(1.5);
    expect(Math.abs(fitOrder(NFE, errs) - 2.03)).toBeLessThanOrEqual(0.15);
  });
});
