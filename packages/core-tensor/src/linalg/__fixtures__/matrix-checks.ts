import fc from 'fast-check';
import { expect } from 'vitest';
import type { DenseMatrix } from '../dense-matrix.js';

/** Naive reference product (j-inner dot products), independent of the unrolled kernel. */
export function naiveProduct(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  const data = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      data[i * b.cols + j] = s;
    }
  }
  return { rows: a.rows, cols: b.cols, data };
}

export function naiveTranspose(a: DenseMatrix): DenseMatrix {
  const data = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { rows: a.cols, cols: a.rows, data };
}

export function expectMatrixClose(actual: DenseMatrix, expected: DenseMatrix, tolerance: number): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  let worst = 0;
  for (let i = 0; i < actual.data.length; i++)
    worst = Math.max(worst, Math.abs(actual.data[i]! - expected.data[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** Max |QᵀQ − I| over the columns of q. */
export function orthogonalityError(q: DenseMatrix): number {
  const qtq = naiveProduct(naiveTranspose(q), q);
  let worst = 0;
  for (let i = 0; i < qtq.rows; i++) {
    for (let j = 0; j < qtq.cols; j++)
      worst = Math.max(worst, Math.abs(qtq.data[i * qtq.cols + j]! - (i === j ? 1 : 0)));
  }
  return worst;
}

/** A random rows×cols matrix with entries in [-10, 10] on a 1e-6 grid (no subnormals). */
export function matrixArbitrary(
  rows: fc.Arbitrary<number>,
  cols: fc.Arbitrary<number>,
): fc.Arbitrary<DenseMatrix> {
  return fc.tuple(rows, cols).chain(([r, c]) =>
    fc
      .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: r * c, maxLength: r * c })
      .map((values) => ({
        rows: r,
        cols: c,
        data: Float64Array.from(values, (v) => Math.round(v * 1e6) / 1e6),
      })),
  );
}
