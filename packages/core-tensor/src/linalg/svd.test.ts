import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectMatrixClose,
  matrixArbitrary,
  naiveProduct,
  naiveTranspose,
  orthogonalityError,
} from './__fixtures__/matrix-checks.js';
import { createMatrix, type DenseMatrix } from './dense-matrix.js';
import { svd } from './svd.js';
import { truncatedSvd } from './truncated-svd.js';

/** u[:, :r]·diag(s)·v[:, :r]ᵀ */
function reconstruct(u: DenseMatrix, s: Float64Array, v: DenseMatrix): DenseMatrix {
  const r = s.length;
  const us = createMatrix(u.rows, r);
  for (let i = 0; i < u.rows; i++)
    for (let j = 0; j < r; j++) us.data[i * r + j] = u.data[i * u.cols + j]! * s[j]!;
  const vr = createMatrix(v.rows, r);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < r; j++) vr.data[i * r + j] = v.data[i * v.cols + j]!;
  return naiveProduct(us, naiveTranspose(vr));
}

describe('svd', () => {
  it('singular values of [[3, 0], [4, 5]] are 3√5 and √5 (hand-worked from AᵀA eigenvalues 45, 5)', () => {
    const { s } = svd(createMatrix(2, 2, [3, 0, 4, 5]));
    expect(s[0]).toBeCloseTo(3 * Math.sqrt(5), 13);
    expect(s[1]).toBeCloseTo(Math.sqrt(5), 13);
  });

  it('A = UΣVᵀ, UᵀU = I, VᵀV = I, σ descending and ≥ 0, full and economy shapes (tall and wide)', () => {
    const dim = fc.integer({ min: 1, max: 9 });
    fc.assert(
      fc.property(matrixArbitrary(dim, dim), fc.boolean(), (a, economy) => {
        const { u, s, v } = svd(a, { economy });
        const r = Math.min(a.rows, a.cols);
        expect(s.length).toBe(r);
        expect([u.rows, u.cols]).toEqual([a.rows, economy ? r : a.rows]);
        expect([v.rows, v.cols]).toEqual([a.cols, economy ? r : a.cols]);
        for (let i = 0; i < r; i++) {
          expect(s[i]).toBeGreaterThanOrEqual(0);
          if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
        }
        expect(orthogonalityError(u)).toBeLessThan(1e-12);
        expect(orthogonalityError(v)).toBeLessThan(1e-12);
        expectMatrixClose(reconstruct(u, s, v), a, 1e-11);
      }),
      { numRuns: 120 },
    );
  });

  it('stays orthogonal on a rank-deficient matrix (rank 1, 4×3)', () => {
    const a = createMatrix(4, 3, [1, 2, 3, 2, 4, 6, -1, -2, -3, 0, 0, 0]);
    const { u, s, v } = svd(a);
    expect(s[0]).toBeCloseTo(Math.sqrt(6 * 14), 12); // a = [1,2,−1,0]ᵀ[1,2,3], σ₁ = √6·√14
    expect(s[1]).toBeLessThan(1e-13);
    expect(orthogonalityError(u)).toBeLessThan(1e-12);
    expect(orthogonalityError(v)).toBeLessThan(1e-12);
    expectMatrixClose(reconstruct(u, s, v), a, 1e-12);
  });

  it('a 90×60 matrix: identities hold and σ match the square roots of eig(AᵀA) from symmetricEigen', async () => {
    const { symmetricEigen } = await import('./symmetric-eigen.js');
    const a = createMatrix(90, 60);
    for (let i = 0; i < a.data.length; i++) a.data[i] = Math.sin(i * 0.37) + Math.cos(i * i * 0.011);
    const { u, s, v } = svd(a);
    expect(orthogonalityError(u)).toBeLessThan(1e-12);
    expect(orthogonalityError(v)).toBeLessThan(1e-12);
    expectMatrixClose(reconstruct(u, s, v), a, 1e-11);
    const eig = symmetricEigen(naiveProduct(naiveTranspose(a), a)).values;
    for (let i = 0; i < 60; i++) expect(Math.abs(s[i]! ** 2 - eig[59 - i]!)).toBeLessThan(1e-9 * s[0]! ** 2);
  });

  it('full SVD of a tall 300×3 matrix completes U to a 300×300 orthogonal matrix', () => {
    const a = createMatrix(300, 3);
    for (let i = 0; i < a.data.length; i++) a.data[i] = Math.sin(i * 1.3) * (1 + (i % 7));
    const { u, s, v } = svd(a);
    expect([u.rows, u.cols]).toEqual([300, 300]);
    expect(orthogonalityError(u)).toBeLessThan(1e-12);
    expectMatrixClose(reconstruct(u, s, v), a, 1e-11);
  });

  it('truncatedSvd keeps the leading triplets; Eckart–Young: ‖A − A_k‖²_F = Σ_{i>k} σᵢ²', () => {
    fc.assert(
      fc.property(
        matrixArbitrary(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 8 })),
        fc.nat(),
        (a, seed) => {
          const full = svd(a, { economy: true });
          const k = seed % (full.s.length + 1);
          const t = truncatedSvd(a, k);
          expect([t.u.cols, t.v.cols, t.s.length]).toEqual([k, k, k]);
          expect(Array.from(t.s)).toEqual(Array.from(full.s.slice(0, k)));
          const approx = reconstruct(t.u, t.s, t.v);
          const err = a.data.reduce((sum, x, i) => sum + (x - approx.data[i]!) ** 2, 0);
          const tail = full.s.slice(k).reduce((sum, x) => sum + x * x, 0);
          expect(Math.abs(err - tail)).toBeLessThan(1e-9 * (1 + tail));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('errors: non-finite entries are E_NUMERIC, a rank out of range is E_INPUT', () => {
    expect(() => svd(createMatrix(1, 2, [1, Number.NaN]))).toThrowError(
      expect.objectContaining({ code: 'E_NUMERIC' }),
    );
  });
});
