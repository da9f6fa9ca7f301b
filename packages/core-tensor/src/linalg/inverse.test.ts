import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectMatrixClose, matrixArbitrary, naiveProduct } from './__fixtures__/matrix-checks.js';
import { createMatrix, identity } from './dense-matrix.js';
import { inverse } from './inverse.js';

describe('inverse', () => {
  it('inverts a hand-worked 2×2: [[4, 7], [2, 6]]⁻¹ = [[0.6, −0.7], [−0.2, 0.4]]', () => {
    expectMatrixClose(
      inverse(createMatrix(2, 2, [4, 7, 2, 6])),
      createMatrix(2, 2, [0.6, -0.7, -0.2, 0.4]),
      1e-15,
    );
  });

  it('A·A⁻¹ = I for random diagonally dominant A (pivoting exercised by a permuted copy)', () => {
    fc.assert(
      fc.property(
        matrixArbitrary(
          fc.integer({ min: 1, max: 12 }).map((n) => n),
          fc.constant(0),
        ).chain((m) => matrixArbitrary(fc.constant(m.rows), fc.constant(m.rows))),
        (a) => {
          const n = a.rows;
          // Dominant diagonal, then reverse the rows so the largest pivots are off the diagonal.
          const data = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++)
              data[(n - 1 - i) * n + j] = a.data[i * n + j]! + (i === j ? 10 * n + 1 : 0);
          }
          const m = createMatrix(n, n, data);
          expectMatrixClose(naiveProduct(m, inverse(m)), identity(n), 1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('singular and non-square matrices are clear errors', () => {
    expect(() => inverse(createMatrix(2, 2, [1, 2, 2, 4]))).toThrowError(
      expect.objectContaining({ code: 'E_NUMERIC' }),
    );
    expect(() => inverse(createMatrix(2, 3))).toThrowError(/must be square, got 2×3/);
  });
});
