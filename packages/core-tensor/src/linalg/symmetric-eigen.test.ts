import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixArbitrary, naiveProduct, orthogonalityError } from './__fixtures__/matrix-checks.js';
import { createMatrix } from './dense-matrix.js';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('[[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen(createMatrix(2, 2, [2, 1, 1, 2]));
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors.data[0]! + vectors.data[2]!)).toBeLessThan(1e-14); // column 0 ∝ (1, −1)
    expect(Math.abs(vectors.data[1]! - vectors.data[3]!)).toBeLessThan(1e-14); // column 1 ∝ (1, 1)
  });

  it('A·v = λ·v, ascending values, orthonormal vectors, trace = Σλ for random symmetric A', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((n) => matrixArbitrary(fc.constant(n), fc.constant(n))),
        (m) => {
          const n = m.rows;
          const a = createMatrix(n, n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) a.data[i * n + j] = m.data[i * n + j]! + m.data[j * n + i]!;
          const { values, vectors } = symmetricEigen(a);
          const av = naiveProduct(a, vectors);
          for (let j = 0; j < n; j++) {
            if (j > 0) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]!);
            for (let i = 0; i < n; i++) {
              expect(Math.abs(av.data[i * n + j]! - values[j]! * vectors.data[i * n + j]!)).toBeLessThan(
                1e-10,
              );
            }
          }
          expect(orthogonalityError(vectors)).toBeLessThan(1e-12);
          let trace = 0;
          for (let i = 0; i < n; i++) trace += a.data[i * n + i]!;
          expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('handles repeated eigenvalues and the empty matrix: diag(2, −1, 2, 2) → [−1, 2, 2, 2]', () => {
    const { values, vectors } = symmetricEigen(
      createMatrix(4, 4, [2, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2]),
    );
    expect(Array.from(values)).toEqual([-1, 2, 2, 2]);
    expect(orthogonalityError(vectors)).toBeLessThan(1e-15);
    expect(symmetricEigen(createMatrix(0, 0)).values.length).toBe(0);
  });

  it('a 120×120 matrix with known spectrum Q·diag(1..120)·Qᵀ returns 1..120', () => {
    const n = 120;
    // Q from the eigenvectors of a fixed symmetric matrix; the spectrum is then set by hand.
    const seed = createMatrix(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) seed.data[i * n + j] = Math.cos(i * 7 + j * 7 + i * j);
    const q = symmetricEigen(seed).vectors;
    const qd = createMatrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qd.data[i * n + j] = q.data[i * n + j]! * (j + 1);
    const qt = createMatrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qt.data[j * n + i] = q.data[i * n + j]!;
    const { values } = symmetricEigen(naiveProduct(qd, qt));
    for (let j = 0; j < n; j++) expect(Math.abs(values[j]! - (j + 1))).toBeLessThan(1e-10);
  });

  it('non-square or non-finite input is an error', () => {
    expect(() => symmetricEigen(createMatrix(2, 3))).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }),
    );
    expect(() => symmetricEigen(createMatrix(1, 1, [Number.POSITIVE_INFINITY]))).toThrowError(
      expect.objectContaining({ code: 'E_NUMERIC' }),
    );
  });
});
