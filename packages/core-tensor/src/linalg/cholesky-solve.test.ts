import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectMatrixClose,
  matrixArbitrary,
  naiveProduct,
  naiveTranspose,
} from './__fixtures__/matrix-checks.js';
import { choleskySolve } from './cholesky-solve.js';
import { createMatrix } from './dense-matrix.js';

describe('choleskySolve', () => {
  it('solves a hand-worked SPD system: [[4, 2], [2, 3]]·x = [1, 2] → x = [−1/8, 3/4]', () => {
    const x = choleskySolve(createMatrix(2, 2, [4, 2, 2, 3]), new Float64Array([1, 2]));
    expect(x[0]).toBeCloseTo(-0.125, 15);
    expect(x[1]).toBeCloseTo(0.75, 15);
  });

  it('A·X = B for random SPD A = MᵀM + I and several right-hand sides', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 10 })
          .chain((n) =>
            fc.tuple(
              matrixArbitrary(fc.constant(n), fc.constant(n)),
              matrixArbitrary(fc.constant(n), fc.integer({ min: 1, max: 3 })),
            ),
          ),
        ([m, b]) => {
          const a = naiveProduct(naiveTranspose(m), m);
          for (let i = 0; i < a.rows; i++) a.data[i * a.rows + i] = a.data[i * a.rows + i]! + 1;
          const x = choleskySolve(a, b);
          expectMatrixClose(naiveProduct(a, x), b, 1e-7);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a non-positive-definite matrix is E_NUMERIC naming the pivot row; shapes are checked', () => {
    expect(() => choleskySolve(createMatrix(2, 2, [1, 2, 2, 1]), new Float64Array(2))).toThrowError(
      expect.objectContaining({
        code: 'E_NUMERIC',
        message: expect.stringMatching(/not positive definite .* row 1/),
      }),
    );
    expect(() => choleskySolve(createMatrix(2, 2, [1, 0, 0, 1]), new Float64Array(3))).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }),
    );
    expect(() => choleskySolve(createMatrix(2, 3), new Float64Array(2))).toThrowError(/square/);
  });
});
