import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixArbitrary, naiveProduct, naiveTranspose } from './__fixtures__/matrix-checks.js';
import { createMatrix } from './dense-matrix.js';
import { leastSquares } from './least-squares.js';

describe('leastSquares', () => {
  it('fits a line by hand: points (0,1), (1,3), (2,4) → y = 7/6 + 1.5x', () => {
    const a = createMatrix(3, 2, [1, 0, 1, 1, 1, 2]);
    const x = leastSquares(a, new Float64Array([1, 3, 4]));
    expect(x[0]).toBeCloseTo(7 / 6, 14);
    expect(x[1]).toBeCloseTo(1.5, 14);
  });

  it('recovers an exact quadratic y = 2 + 3x − 0.5x² from 2000 points, with two right-hand sides', () => {
    const m = 2000;
    const a = createMatrix(m, 3);
    const b = createMatrix(m, 2);
    for (let i = 0; i < m; i++) {
      const x = i / 100 - 10;
      a.data.set([1, x, x * x], i * 3);
      b.data.set([2 + 3 * x - 0.5 * x * x, -x], i * 2);
    }
    const x = leastSquares(a, b);
    const expected = [2, 0, 3, -1, -0.5, 0];
    for (let i = 0; i < 6; i++) expect(Math.abs(x.data[i]! - expected[i]!)).toBeLessThan(1e-11);
  });

  it('the residual is orthogonal to the column space: Aᵀ(b − Ax) ≈ 0 (random tall A)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc
              .integer({ min: n, max: n + 8 })
              .chain((m) =>
                fc.tuple(
                  matrixArbitrary(fc.constant(m), fc.constant(n)),
                  matrixArbitrary(fc.constant(m), fc.constant(2)),
                ),
              ),
          ),
        ([a, b]) => {
          let x: ReturnType<typeof leastSquares>;
          try {
            x = leastSquares(a, b);
          } catch (error) {
            // Random matrices can be (numerically) rank deficient; that must be the documented error.
            expect(error).toMatchObject({ code: 'E_NUMERIC' });
            return;
          }
          const ax = naiveProduct(a, x as typeof b);
          const r = { rows: b.rows, cols: b.cols, data: b.data.map((v, i) => v - ax.data[i]!) };
          const atr = naiveProduct(naiveTranspose(a), r);
          // Scale-aware bound: |Aᵀr| ≤ c·ε·‖A‖·(‖A‖‖x‖ + ‖b‖) with generous c for ill-conditioned draws.
          const normA = Math.sqrt(a.data.reduce((s, v) => s + v * v, 0));
          const normB = Math.sqrt(b.data.reduce((s, v) => s + v * v, 0));
          const normX = Math.sqrt((x as typeof b).data.reduce((s, v) => s + v * v, 0));
          const bound = 1e4 * Number.EPSILON * normA * (normA * normX + normB) + 1e-12;
          for (const v of atr.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rank deficiency is E_NUMERIC and fewer rows than columns is E_SHAPE_MISMATCH', () => {
    expect(() => leastSquares(createMatrix(3, 2, [1, 2, 2, 4, 3, 6]), new Float64Array(3))).toThrowError(
      expect.objectContaining({ code: 'E_NUMERIC', message: expect.stringMatching(/rank deficient/) }),
    );
    expect(() => leastSquares(createMatrix(2, 3), new Float64Array(2))).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }),
    );
    expect(() => leastSquares(createMatrix(3, 2, [1, 0, 0, 1, 1, 1]), new Float64Array(2))).toThrowError(
      /b has length 2/,
    );
  });
});
