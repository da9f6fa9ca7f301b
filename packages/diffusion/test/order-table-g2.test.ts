import { describe, expect, it } from 'vitest';
import {
  ddim,
  dpmSolverMultistep,
  dpmSolverSinglestep,
  makeTimeGrid,
  mixtureG2,
  mixtureModel,
  pointErrors,
  runTestBed,
  type TestBedSolver,
  testBedProblem,
  testBedReference,
  uniPc,
} from '../src/index.js';

// Spec §6.5 (checked against the official implementations in float64): median error at NFE
// 12, 24, 48, 96, 192, 384 and the slope over the last three, VP linear schedule, logSNR grid
// (DEIS: quadratic-t), EDM Karras rho = 7 for Euler/Heun; G2, 256 spec start points.
const NFE = [12, 24, 48, 96, 192, 384];
const TABLE: [TestBedSolver, (number | null)[], number][] = [
  ['ddim', [1.7e-1, 8.8e-2, 4.4e-2, 2.2e-2, 1.1e-2, 5.5e-3], 1.0],
  ['dpmpp-2s', [9.6e-2, 2.8e-2, 7.4e-3, 1.9e-3, 4.9e-4, 1.2e-4], 1.98],
  ['dpm-solver-3', [7.4e-2, 6.1e-3, 5.1e-4, 5.0e-5, 5.7e-6, 6.8e-7], 3.1],
  ['dpmpp-2m', [4.9e-2, 1.2e-2, 2.9e-3, 7.2e-4, 1.8e-4, 4.4e-5], 2.01],
  ['dpmpp-3m', [1.5e-2, 2.7e-3, 7.4e-4, 2.0e-4, 5.0e-5, 1.3e-5], 1.97],
  ['unipc-1', [8.7e-2, 2.3e-2, 6.0e-3, 1.5e-3, 3.8e-4, 9.5e-5], 2.0],
  ['unipc-2', [3.5e-2, 4.2e-3, 5.1e-4, 6.4e-5, 7.9e-6, 9.9e-7], 3.01],
  ['unipc-3', [1.9e-2, 1.3e-3, 5.4e-5, 3.6e-6, 2.4e-7, 1.5e-8], 3.96],
  ['deis-1', [null, null, null, null, null, 3.7e-3], 1.0],
  ['deis-2', [null, null, null, null, null, 5.0e-5], 1.97],
  ['deis-3', [null, null, null, null, null, 1.1e-6], 2.89],
  ['euler', [null, null, null, null, null, 4.7e-3], 1.0],
  ['heun', [null, null, null, null, null, 2.2e-4], 2.04],
];
// Expected asymptotic orders where the spec states them (acceptance: ±0.15).
const ORDER: Partial<Record<TestBedSolver, number>> = { 'dpm-solver-2': 2 };

const mix = mixtureG2();
const report = runTestBed(mix, { solvers: [...TABLE.map((r) => r[0]), 'dpm-solver-2'], steps: NFE });

describe('G2 order table (spec §6.5)', () => {
  it.each(TABLE)('%s: errors within 1.5x of the table and slope within ±0.15', (solver, errors, slope) => {
    const rows = report.results.filter((r) => r.solver === solver);
    errors.forEach((expected, i) => {
      if (expected === null) return;
      const got = rows[i]!.medianError;
      expect(got / expected, `NFE ${NFE[i]}: ${got}`).toBeLessThan(1.5);
      expect(expected / got, `NFE ${NFE[i]}: ${got}`).toBeLessThan(1.5);
    });
    expect(Math.abs(report.orders[solver]! - slope)).toBeLessThanOrEqual(0.15);
  });

  it('DPM-Solver-2 (noise form) converges at order 2', () => {
    expect(Math.abs(report.orders['dpm-solver-2']! - ORDER['dpm-solver-2']!)).toBeLessThanOrEqual(0.15);
  });

  it('reports the NFE actually used', () => {
    const at = (s: TestBedSolver) => report.results.find((r) => r.solver === s && r.steps === 384)!.nfe;
    expect(at('ddim')).toBe(384);
    expect(at('dpmpp-2s')).toBe(384);
    expect(at('dpm-solver-3')).toBe(384);
    expect(at('unipc-3')).toBe(384);
    expect(at('heun')).toBe(384);
  });

  it('consistent 3M restores order 3 with the table errors', () => {
    const c = runTestBed(mix, { solvers: ['dpmpp-3m'], steps: NFE, variant: 'consistent' });
    const expected = [2.0e-2, 2.9e-3, 3.4e-4, 4.0e-5, 4.8e-6, 5.4e-7];
    c.results.forEach((r, i) => {
      expect(r.medianError / expected[i]!).toBeLessThan(1.5);
      expect(expected[i]! / r.medianError).toBeLessThan(1.5);
    });
    expect(Math.abs(c.orders['dpmpp-3m']! - 3.11)).toBeLessThanOrEqual(0.15);
  });
});

describe('G2 low-NFE behaviour (spec §6.5, NFE 5 / 10 / 20, lower_order_final on for UniPC)', () => {
  const p = testBedProblem('vp', 2);
  const ref = testBedReference(mix, 'vp');
  const x0m = mixtureModel(mix, p.schedule, 'x0');
  const em = mixtureModel(mix, p.schedule, 'eps');
  const g = (n: number) => makeTimeGrid(p.schedule, { kind: 'logsnr', steps: n, tStart: 1, tEnd: 1e-3 });
  const median = (x: Float64Array) => {
    const e = pointErrors(x, ref, 2).sort();
    return (e[127]! + e[128]!) / 2;
  };
  it.each<[string, (n: number) => Float64Array, number[]]>([
    ['DDIM', (n) => ddim(x0m, p.xT, g(n)).x, [0.41, 0.21, 0.1]],
    ['DPM-Solver++(2M)', (n) => dpmSolverMultistep(x0m, p.xT, g(n), { order: 2 }).x, [0.12, 0.065, 0.018]],
    [
      'DPM-Solver++(3M) shipped',
      (n) => dpmSolverMultistep(x0m, p.xT, g(n), { order: 3 }).x,
      [0.52, 0.034, 0.0039],
    ],
    [
      'DPM-Solver++(3M) consistent',
      (n) => dpmSolverMultistep(x0m, p.xT, g(n), { order: 3, variant: 'consistent' }).x,
      [0.6, 0.027, 0.0051],
    ],
    ['UniPC-2', (n) => uniPc(x0m, p.xT, g(n), { order: 2, lowerOrderFinal: true }).x, [0.074, 0.053, 0.007]],
    ['UniPC-3', (n) => uniPc(x0m, p.xT, g(n), { order: 3, lowerOrderFinal: true }).x, [0.13, 0.044, 0.0031]],
  ])('%s within 1.5x of the table', (_, run, expected) => {
    [5, 10, 20].forEach((n, i) => {
      const got = median(run(n));
      expect(Math.max(got / expected[i]!, expected[i]! / got), `NFE ${n}: ${got}`).toBeLessThan(1.5);
    });
  });

  // Official singlestep_fixed with steps = 5 runs K = 5 // 3 = 1 third-order step (3 model calls).
  it('DPM-Solver-3S (noise form) explodes at a budget of 5 NFE (spec: 33)', () => {
    const got = median(dpmSolverSinglestep(em, p.xT, g(1), { orders: 3, form: 'noise' }).x);
    expect(got).toBeGreaterThan(33 / 1.5);
    expect(got).toBeLessThan(33 * 1.5);
  });
});
