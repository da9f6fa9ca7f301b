import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectMatrixClose,
  matrixArbitrary,
  naiveProduct,
  orthogonalityError,
} from './__fixtures__/matrix-checks.js';
import { createMatrix } from './dense-matrix.js';
import { thinQr } from './thin-qr.js';

function expectUpperWithNonNegativeDiagonal(r: { rows: number; cols: number; data: Float64Array }): void {
  for (let i = 0; i < r.rows; i++) {
    expect(r.data[i * r.cols + i]!).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < Math.min(i, r.cols); j++) expect(r.data[i * r.cols + j]).toBe(0);
  }
}

describe('thinQr', () => {
  it('by hand: [[3, 0], [4, 5]] = [[0.6, −0.8], [0.8, 0.6]]·[[5, 4], [0, 3]] (Gram–Schmidt on paper)', () => {
    const { q, r } = thinQr(createMatrix(2, 2, [3, 0, 4, 5]));
    expectMatrixClose(q, createMatrix(2, 2, [0.6, -0.8, 0.8, 0.6]), 1e-15);
    expectMatrixClose(r, createMatrix(2, 2, [5, 4, 0, 3]), 1e-14);
  });

  it('tall, square and wide random A: QᵀQ = I, A = Q·R, R upper triangular with R[i,i] ≥ 0', () => {
    fc.assert(
      fc.property(matrixArbitrary(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })), (a) => {
        const { q, r } = thinQr(a);
        const k = Math.min(a.rows, a.cols);
        expect([q.rows, q.cols, r.rows, r.cols]).toEqual([a.rows, k, k, a.cols]);
        expect(orthogonalityError(q)).toBeLessThan(1e-12);
        // Entries are ≤ 10 in magnitude and n ≤ 9: 1e-12 is ~100 ulps of the largest possible product sum.
        expectMatrixClose(naiveProduct(q, r), a, 1e-12);
        expectUpperWithNonNegativeDiagonal(r);
      }),
      { numRuns: 200 },
    );
  });

  it('rank-deficient A (a repeated column and a zero column) still gives orthonormal Q and A = Q·R', () => {
    const a = createMatrix(4, 3, [1, 1, 0, 2, 2, 0, -1, -1, 0, 3, 3, 0]);
    const { q, r } = thinQr(a);
    expect(orthogonalityError(q)).toBeLessThan(1e-14);
    expectMatrixClose(naiveProduct(q, r), a, 1e-14);
    expect(r.data[1 * 3 + 1]!).toBeLessThan(1e-14); // the second column adds no new direction
    expect(r.data[2 * 3 + 2]).toBe(0);
  });

  it('rejects non-finite entries with E_NUMERIC', () => {
    expect(() => thinQr(createMatrix(2, 2, [1, Number.NaN, 0, 1]))).toThrow(
      expect.objectContaining({ code: 'E_NUMERIC' }),
    );
  });
});
