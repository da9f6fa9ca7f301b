import { describe, expect, it } from 'vitest';
import {
  type DiffusionModel,
  ddim,
  fitOrder,
  makeTimeGrid,
  mixtureG2,
  mixtureModel,
  mixtureStartPoints,
  pndm,
  pointErrors,
  rk4Reference,
  type SolverResult,
  sample,
  testBedProblem,
  testBedReference,
  vpLinearSchedule,
} from '../src/index.js';

const mix = mixtureG2();
const median = (x: Float64Array, r: Float64Array) => {
  const e = pointErrors(x, r, 2).sort();
  return (e[127]! + e[128]!) / 2;
};
const NFE = [96, 192, 384];
const order = (run: (nfe: number) => SolverResult, ref: Float64Array) => {
  const res = NFE.map((n) => run(n));
  res.forEach((r, i) => {
    expect(r.nfe).toBe(NFE[i]);
  });
  return fitOrder(
    res.map((r) => r.nfe),
    res.map((r) => median(r.x, ref)),
  );
};

describe('PNDM / PLMS convergence (G2, eps oracle)', () => {
  // The fixed AB4 weights assume equal steps in the variable the DDIM transfer is exact in, rho = sigma/alpha.
  // Problem: VP linear schedule from t = 0.5 to 0.1 (rho 3.4 → 0.34), grid uniform in rho (Karras rho = 1),
  // 256 spec start points scaled by 1/sqrt(3), RK4 reference with 4000 steps. Measured slopes over NFE 96/192/384:
  // PNDM 4.12 (384 → 768: 3.98), PLMS 3.91 (3.91); both midpoints agree to 2%. Acceptance: 4 ± 0.2.
  const sch = vpLinearSchedule();
  const xT = mixtureStartPoints(2, 256, 1 / Math.sqrt(3));
  const ref = rk4Reference(mix, sch, xT, 0.5, 0.1, 4000);
  const eps = mixtureModel(mix, sch, 'eps');
  const g = (n: number) => makeTimeGrid(sch, { kind: 'karras', rho: 1, steps: n, tStart: 0.5, tEnd: 0.1 });

  it.each<[string, (nfe: number) => SolverResult]>([
    ['PNDM (PRK warm-up, time midpoint)', (nfe) => pndm(eps, xT, g(nfe - 9))],
    ['PNDM (PRK warm-up, rho midpoint)', (nfe) => pndm(eps, xT, g(nfe - 9), { midpoint: 'rho' })],
    ['PLMS (skipPrkSteps)', (nfe) => pndm(eps, xT, g(nfe - 1), { skipPrkSteps: true })],
  ])('%s is 4th order on a rho-uniform grid', (_, run) => {
    expect(Math.abs(order(run, ref) - 4)).toBeLessThanOrEqual(0.2);
  });

  // On the spec test bed (t 1 → 1e-3, logSNR grid) the equal-step AB weights are only 2nd order, like
  // iPNDM; measured PNDM 2.11, PLMS 2.01. Acceptance ±0.15.
  it.each([
    ['pndm', 2],
    ['plms', 2],
  ] as const)('%s on the logSNR test bed converges at order %d', (solver, expected) => {
    const p = testBedProblem('vp', 2);
    const model = mixtureModel(mix, p.schedule, 'eps');
    const got = order(
      (nfe) => sample(model, p.xT, { solver, nfe, tStart: 1, tEnd: 1e-3 }),
      testBedReference(mix, 'vp'),
    );
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(0.15);
  });
});

describe('PNDM identities and bookkeeping', () => {
  const sch = vpLinearSchedule();
  const times = makeTimeGrid(sch, { kind: 'logsnr', steps: 10, tStart: 1, tEnd: 1e-3 });
  const xT = mixtureStartPoints(2, 16);

  it('a constant eps is integrated exactly: x_t = (alpha_t/alpha_T) x_T + alpha_t (rho_t - rho_T) e', () => {
    const e = Float64Array.from(xT, (_, i) => 0.3 - 0.05 * i);
    const model: DiffusionModel = { schedule: sch, prediction: 'eps', denoise: () => e };
    const t0 = times[0]!;
    const t1 = times[times.length - 1]!;
    const rho = (t: number) => sch.sigma(t) / sch.alpha(t);
    const exact = xT.map(
      (v, i) => (sch.alpha(t1) / sch.alpha(t0)) * v + sch.alpha(t1) * (rho(t1) - rho(t0)) * e[i]!,
    );
    for (const opts of [{}, { skipPrkSteps: true }, { midpoint: 'rho' as const }]) {
      const got = pndm(model, xT, times, opts).x;
      got.forEach((v, i) => {
        expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(exact[i]!)));
      });
    }
  });

  it('uses N + 9 model calls with PRK (4 per warm-up interval) and N + 1 with skipPrkSteps', () => {
    const model = mixtureModel(mix, sch, 'eps');
    expect(pndm(model, xT, times).nfe).toBe(19);
    expect(pndm(model, xT, times, { skipPrkSteps: true }).nfe).toBe(11);
    const two = makeTimeGrid(sch, { kind: 'logsnr', steps: 2, tStart: 1, tEnd: 1e-3 });
    expect(pndm(model, xT, two).nfe).toBe(8);
    for (const nfe of [12, 20, 50]) {
      expect(sample(model, xT, { solver: 'pndm', nfe, tStart: 1, tEnd: 1e-3 }).nfe).toBe(nfe);
      expect(sample(model, xT, { solver: 'plms', nfe, tStart: 1, tEnd: 1e-3 }).nfe).toBe(nfe);
    }
  });

  it('PLMS over one interval is the DDIM step; sample() runs the same method by name', () => {
    const model = mixtureModel(mix, sch, 'eps');
    const one = makeTimeGrid(sch, { kind: 'logsnr', steps: 1, tStart: 1, tEnd: 1e-3 });
    const a = pndm(model, xT, one, { skipPrkSteps: true }).x;
    const b = ddim(model, xT, one).x;
    a.forEach((v, i) => {
      expect(Math.abs(v - b[i]!)).toBeLessThan(1e-12);
    });
    const viaName = sample(model, xT, { solver: 'pndm', nfe: 19, tStart: 1, tEnd: 1e-3 }).x;
    expect(Array.from(viaName)).toEqual(Array.from(pndm(model, xT, times).x));
  });

  it('rejects bad options and grids', () => {
    const model = mixtureModel(mix, sch, 'eps');
    expect(() => pndm(model, xT, times, { midpoint: 'middle' as 'rho' })).toThrow(/midpoint/);
    expect(() => pndm(model, xT, [0.5, 0.7])).toThrow(/strictly decreasing/);
  });
});
