import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs.js';
import { moreThuente } from './more-thuente.js';

function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * a * x[i]! - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
}

describe('minimizeLbfgs', () => {
  it('finds the Rosenbrock minimum (1, …, 1) in 2 and 10 dimensions', () => {
    const r2 = minimizeLbfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-9, functionTolerance: 0 });
    expect(r2.status).toBe('gradient');
    expect(r2.x[0]).toBeCloseTo(1, 6);
    expect(r2.x[1]).toBeCloseTo(1, 6);
    const r10 = minimizeLbfgs(rosenbrock, new Array(10).fill(-1), {
      gradientTolerance: 1e-8,
      functionTolerance: 0,
    });
    for (const v of r10.x) expect(v).toBeCloseTo(1, 5);
    expect(r10.gradientNorm).toBeLessThanOrEqual(1e-8);
  });

  it('solves random SPD quadratics ½xᵀQx − cᵀx (solution Q⁻¹c checked by the residual Qx − c)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (m, c) => {
          // Q = MᵀM + I is symmetric positive definite.
          const q = new Float64Array(16);
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++) {
              let s = i === j ? 1 : 0;
              for (let k = 0; k < 4; k++) s += m[k * 4 + i]! * m[k * 4 + j]!;
              q[i * 4 + j] = s;
            }
          const f = (x: Float64Array, g: Float64Array) => {
            let v = 0;
            for (let i = 0; i < 4; i++) {
              let qi = 0;
              for (let j = 0; j < 4; j++) qi += q[i * 4 + j]! * x[j]!;
              g[i] = qi - c[i]!;
              v += 0.5 * x[i]! * qi - c[i]! * x[i]!;
            }
            return v;
          };
          const r = minimizeLbfgs(f, [0, 0, 0, 0], { gradientTolerance: 1e-9, functionTolerance: 0 });
          // The gradient Qx − c is the residual; it can stall just above 1e-9 only when f stops changing in float64.
          expect(r.gradientNorm).toBeLessThanOrEqual(1e-7);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports a non-finite start instead of iterating', () => {
    const r = minimizeLbfgs(
      (_x, g) => {
        g.fill(0);
        return Number.NaN;
      },
      [1],
    );
    expect(r.status).toBe('not-finite');
  });
});

describe('moreThuente', () => {
  it('returns steps that satisfy the strong Wolfe conditions on random 1-D quartics', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        (scale, minimiser, initialStep) => {
          // phi(t) = scale·((t − m)^4 + (t − m)^2), strictly decreasing at 0 for m > 0.
          const phi = (t: number): [number, number] => {
            const u = t - minimiser;
            return [scale * (u ** 4 + u ** 2), scale * (4 * u ** 3 + 2 * u)];
          };
          const [f0, g0] = phi(0);
          const r = moreThuente(phi, f0, g0, initialStep, {
            ftol: 1e-3,
            gtol: 0.9,
            xtol: 0.1,
            stpmin: 0,
            stpmax: 1e10,
            maxEvaluations: 40,
          });
          expect(r.status).toBe('converged');
          expect(r.value).toBeLessThanOrEqual(f0 + 1e-3 * r.step * g0);
          expect(Math.abs(r.slope)).toBeLessThanOrEqual(0.9 * Math.abs(g0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
