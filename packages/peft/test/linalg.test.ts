import { createMatrix, type SvdResult, svd, thinQr } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { leadingSvd, loraFactorsFromSvd } from '../src/linalg/lora-svd.js';
import { lcg } from './helpers.js';

function reconstruct(result: SvdResult): Float64Array {
  const rows = result.u.rows;
  const cols = result.v.rows;
  const k = result.s.length;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let c = 0; c < k; c++)
        sum += result.u.data[i * result.u.cols + c]! * result.s[c]! * result.v.data[j * result.v.cols + c]!;
      out[i * cols + j] = sum;
    }
  return out;
}

/** An exactly rank-5 `rows × cols` matrix L·R from LCG factors. */
function rankFive(rows: number, cols: number): Float64Array {
  const left = lcg(rows * 5, 1);
  const right = lcg(5 * cols, 2);
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let c = 0; c < 5; c++) sum += left[i * 5 + c]! * right[c * cols + j]!;
      a[i * cols + j] = sum;
    }
  return a;
}

describe('float64 linear algebra used by the LoRA inits, extract and combine', () => {
  it('thinQr (OLoRA): Q has orthonormal columns and Q·R = A', () => {
    const rows = 7;
    const cols = 4;
    const a = lcg(rows * cols, 3);
    const { q, r } = thinQr(createMatrix(rows, cols, a));
    const k = q.cols;
    for (let c1 = 0; c1 < k; c1++)
      for (let c2 = 0; c2 < k; c2++) {
        let d = 0;
        for (let i = 0; i < rows; i++) d += q.data[i * k + c1]! * q.data[i * k + c2]!;
        expect(Math.abs(d - (c1 === c2 ? 1 : 0))).toBeLessThan(1e-12);
      }
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += q.data[i * k + c]! * r.data[c * cols + j]!;
        expect(Math.abs(sum - a[i * cols + j]!)).toBeLessThan(1e-6);
      }
  });

  it('leadingSvd (randomized) of an exactly rank-5 200×150 matrix recovers it (Eckart–Young)', () => {
    const rows = 200;
    const cols = 150;
    const a = createMatrix(rows, cols, rankFive(rows, cols));
    const approx = leadingSvd(a, 5, 4);
    const exact = svd(a, { economy: true });
    for (let c = 0; c < 5; c++) expect(Math.abs(approx.s[c]! - exact.s[c]!) / exact.s[0]!).toBeLessThan(1e-9);
    const back = reconstruct(approx);
    let err = 0;
    for (let i = 0; i < a.data.length; i++) err = Math.max(err, Math.abs(back[i]! - a.data[i]!));
    expect(err).toBeLessThan(1e-9);
  });

  it('loraFactorsFromSvd: B·A = scale²·U_k·S_k·V_kᵀ for both splits; "left" leaves A = V_kᵀ', () => {
    const rows = 9;
    const cols = 6;
    const k = 3;
    const decomposition = svd(createMatrix(rows, cols, lcg(rows * cols, 5)), { economy: true });
    const truncated: SvdResult = {
      u: decomposition.u,
      s: decomposition.s.map((value, i) => (i < k ? value : 0)),
      v: decomposition.v,
    };
    const expected = reconstruct(truncated);
    for (const [split, scale] of [
      ['sqrt', 0.5],
      ['left', 1],
    ] as const) {
      const { a, b } = loraFactorsFromSvd(decomposition, k, split, scale);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let c = 0; c < k; c++) sum += b[i * k + c]! * a[c * cols + j]!;
          expect(Math.abs(sum - scale * scale * expected[i * cols + j]!)).toBeLessThan(1e-12);
        }
      if (split === 'left')
        for (let c = 0; c < k; c++)
          for (let j = 0; j < cols; j++)
            expect(a[c * cols + j]).toBe(decomposition.v.data[j * decomposition.v.cols + c]);
    }
  });
});
