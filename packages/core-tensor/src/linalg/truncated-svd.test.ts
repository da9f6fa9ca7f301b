import { describe, expect, it } from 'vitest';
import {
  expectMatrixClose,
  naiveProduct,
  naiveTranspose,
  orthogonalityError,
} from './__fixtures__/matrix-checks.js';
import { createMatrix, type DenseMatrix } from './dense-matrix.js';
import { svd } from './svd.js';
import { truncatedSvd } from './truncated-svd.js';

/** u·diag(s)·vᵀ */
function reconstruct(u: DenseMatrix, s: Float64Array, v: DenseMatrix): DenseMatrix {
  const us = createMatrix(
    u.rows,
    u.cols,
    u.data.map((x, i) => x * s[i % u.cols]!),
  );
  return naiveProduct(us, naiveTranspose(v));
}

/** A m×n matrix with singular values `sigma` and deterministic orthonormal factors. */
function withSpectrum(m: number, n: number, sigma: number[]): DenseMatrix {
  const seedU = createMatrix(m, m);
  for (let i = 0; i < seedU.data.length; i++) seedU.data[i] = Math.sin(i * 0.7 + 0.3);
  const seedV = createMatrix(n, n);
  for (let i = 0; i < seedV.data.length; i++) seedV.data[i] = Math.cos(i * 1.1 + 0.2);
  const u = svd(seedU).u;
  const v = svd(seedV).u;
  const r = sigma.length;
  const us = createMatrix(m, r);
  const vr = createMatrix(n, r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) us.data[i * r + j] = u.data[i * m + j]! * sigma[j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) vr.data[i * r + j] = v.data[i * n + j]!;
  return naiveProduct(us, naiveTranspose(vr));
}

describe('truncatedSvd', () => {
  it('randomized is exact (to rounding) on a rank-3 matrix', () => {
    const a = withSpectrum(60, 40, [9, 4, 1]);
    const { u, s, v } = truncatedSvd(a, 3, { method: 'randomized', seed: 1 });
    expect(Array.from(s).map((x) => Number(x.toFixed(10)))).toEqual([9, 4, 1]);
    expect(orthogonalityError(u)).toBeLessThan(1e-12);
    expect(orthogonalityError(v)).toBeLessThan(1e-12);
    expectMatrixClose(reconstruct(u, s, v), a, 1e-11);
  });

  it('randomized matches the exact leading triplets on a decaying spectrum σᵢ = 2^-i', () => {
    const sigma = Array.from({ length: 50 }, (_, i) => 2 ** -i);
    const a = withSpectrum(80, 60, sigma);
    const exact = truncatedSvd(a, 5);
    const fast = truncatedSvd(a, 5, { method: 'randomized', seed: 7 });
    for (let i = 0; i < 5; i++) expect(Math.abs(fast.s[i]! - sigma[i]!)).toBeLessThan(1e-9);
    // Same subspaces: |uᵢ·ûᵢ| = 1 (signs may differ).
    for (let j = 0; j < 5; j++) {
      let d = 0;
      for (let i = 0; i < 80; i++) d += exact.u.data[i * 5 + j]! * fast.u.data[i * 5 + j]!;
      expect(Math.abs(Math.abs(d) - 1)).toBeLessThan(1e-8);
    }
  });

  it('the same seed gives the same bits', () => {
    const a = withSpectrum(30, 20, [5, 3, 2, 1, 0.5]);
    const x = truncatedSvd(a, 2, { method: 'randomized', seed: 3, oversample: 2, powerIterations: 1 });
    const y = truncatedSvd(a, 2, { method: 'randomized', seed: 3, oversample: 2, powerIterations: 1 });
    expect(y.u.data).toEqual(x.u.data);
    expect(y.s).toEqual(x.s);
  });

  it('randomized without a seed is an invalid option; a bad rank is E_INPUT', () => {
    expect(() => truncatedSvd(createMatrix(3, 3), 1, { method: 'randomized' })).toThrowError(
      expect.objectContaining({ code: 'E_INVALID_OPTIONS', message: expect.stringContaining('seed') }),
    );
    expect(() => truncatedSvd(createMatrix(2, 3), 3)).toThrowError(/rank must be an integer in \[0, 2\]/);
  });
});
