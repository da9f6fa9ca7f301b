import { describe, expect, it } from 'vitest';
import { qrThin, svdThin, truncatedSvd } from '../src/index.js';
import { lcg } from './helpers.js';

function reconstruct(svd: {
  rows: number;
  cols: number;
  k: number;
  u: Float64Array;
  s: Float64Array;
  v: Float64Array;
}) {
  const out = new Float64Array(svd.rows * svd.cols);
  for (let i = 0; i < svd.rows; i++)
    for (let j = 0; j < svd.cols; j++) {
      let sum = 0;
      for (let c = 0; c < svd.k; c++) sum += svd.u[i * svd.k + c]! * svd.s[c]! * svd.v[j * svd.k + c]!;
      out[i * svd.cols + j] = sum;
    }
  return out;
}

describe('float64 linear algebra helpers', () => {
  it('qrThin: Q has orthonormal columns and Q·R = A', () => {
    const rows = 7;
    const cols = 4;
    const a = lcg(rows * cols, 3);
    const { q, r, k } = qrThin(a, rows, cols);
    for (let c1 = 0; c1 < k; c1++)
      for (let c2 = 0; c2 < k; c2++) {
        let d = 0;
        for (let i = 0; i < rows; i++) d += q[i * k + c1]! * q[i * k + c2]!;
        expect(Math.abs(d - (c1 === c2 ? 1 : 0))).toBeLessThan(1e-12);
      }
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += q[i * k + c]! * r[c * cols + j]!;
        expect(Math.abs(sum - a[i * cols + j]!)).toBeLessThan(1e-6);
      }
  });

  it('randomized truncated SVD of an exactly rank-5 200×150 matrix recovers it (Eckart–Young)', () => {
    const rows = 200;
    const cols = 150;
    const left = lcg(rows * 5, 1);
    const right = lcg(5 * cols, 2);
    const a = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let c = 0; c < 5; c++) sum += left[i * 5 + c]! * right[c * cols + j]!;
        a[i * cols + j] = sum;
      }
    const approx = truncatedSvd(a, rows, cols, 5, { seed: 4 });
    const exact = svdThin(a, rows, cols);
    for (let c = 0; c < 5; c++) expect(Math.abs(approx.s[c]! - exact.s[c]!) / exact.s[0]!).toBeLessThan(1e-9);
    const back = reconstruct(approx);
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(back[i]! - a[i]!));
    expect(err).toBeLessThan(1e-9);
  });
});
