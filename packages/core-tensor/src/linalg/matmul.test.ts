import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectMatrixClose, matrixArbitrary, naiveProduct } from './__fixtures__/matrix-checks.js';
import { createMatrix, identity } from './dense-matrix.js';
import { matmul, matvec } from './matmul.js';

describe('matmul / matvec', () => {
  it('multiplies a hand-worked 2×3 by 3×2', () => {
    const c = matmul(createMatrix(2, 3, [1, 2, 3, 4, 5, 6]), createMatrix(3, 2, [7, 8, 9, 10, 11, 12]));
    expect([c.rows, c.cols, ...c.data]).toEqual([2, 2, 58, 64, 139, 154]);
  });

  it('equals the naive triple loop for random shapes (inner sizes not divisible by 4 too)', () => {
    const sizes = fc.integer({ min: 0, max: 9 });
    fc.assert(
      fc.property(
        fc
          .tuple(sizes, sizes, sizes)
          .chain(([m, p, n]) =>
            fc.tuple(
              matrixArbitrary(fc.constant(m), fc.constant(p)),
              matrixArbitrary(fc.constant(p), fc.constant(n)),
            ),
          ),
        ([a, b]) => expectMatrixClose(matmul(a, b), naiveProduct(a, b), 1e-11),
      ),
      { numRuns: 150 },
    );
  });

  it('I·A = A·I = A, and matvec equals matmul with a column', () => {
    const a = createMatrix(3, 3, [2, -1, 0, 4, 0.5, 3, -2, 1, 1]);
    expect(matmul(identity(3), a).data).toEqual(a.data);
    expect(matmul(a, identity(3)).data).toEqual(a.data);
    const x = new Float64Array([1, -2, 0.5]);
    expect(matvec(a, x)).toEqual(matmul(a, createMatrix(3, 1, x)).data);
    expect(Array.from(matvec(a, x))).toEqual([4, 4.5, -3.5]);
  });

  it('rejects mismatched inner sizes with E_SHAPE_MISMATCH naming both shapes', () => {
    expect(() => matmul(createMatrix(2, 3), createMatrix(2, 3))).toThrowError(/a is 2×3 and b is 2×3/);
    expect(() => matvec(createMatrix(2, 3), new Float64Array(2))).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }),
    );
  });
});
