import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixArbitrary, naiveTranspose } from './__fixtures__/matrix-checks.js';
import { createMatrix, identity, transpose } from './dense-matrix.js';

describe('DenseMatrix helpers', () => {
  it('createMatrix wraps a Float64Array, copies other arrays, zero-fills otherwise', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(createMatrix(2, 3, data).data).toBe(data);
    expect(Array.from(createMatrix(3, 2, [1, 2, 3, 4, 5, 6]).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(createMatrix(2, 2).data).toEqual(new Float64Array(4));
  });

  it('createMatrix rejects a wrong data length or negative sizes with E_SHAPE_MISMATCH', () => {
    expect(() => createMatrix(2, 2, [1, 2, 3])).toThrowError(/data has length 3 but a 2×2 matrix needs 4/);
    expect(() => createMatrix(-1, 2)).toThrowError(expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }));
  });

  it('identity(3) and a hand-worked transpose', () => {
    expect(Array.from(identity(3).data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const t = transpose(createMatrix(2, 3, [1, 2, 3, 4, 5, 6]));
    expect([t.rows, t.cols, ...t.data]).toEqual([3, 2, 1, 4, 2, 5, 3, 6]);
  });

  it('transpose (blocked) equals the naive transpose, also across block edges', () => {
    fc.assert(
      fc.property(matrixArbitrary(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 40 })), (a) => {
        expect(transpose(a)).toEqual(naiveTranspose(a));
      }),
      { numRuns: 40 },
    );
  });
});
