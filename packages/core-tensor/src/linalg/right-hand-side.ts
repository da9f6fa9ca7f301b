import { type DenseMatrix, linalgError } from './dense-matrix.js';

/** A right-hand side given as a vector or as a matrix of columns, normalised to a matrix copy. */
export function rhsAsMatrix(operation: string, rows: number, b: DenseMatrix | Float64Array): DenseMatrix {
  if (b instanceof Float64Array) {
    if (b.length !== rows) {
      throw linalgError('E_SHAPE_MISMATCH', `${operation}: b has length ${b.length} but a has ${rows} rows`);
    }
    return { rows, cols: 1, data: new Float64Array(b) };
  }
  if (b.rows !== rows) {
    throw linalgError('E_SHAPE_MISMATCH', `${operation}: b is ${b.rows}×${b.cols} but a has ${rows} rows`);
  }
  return { rows: b.rows, cols: b.cols, data: new Float64Array(b.data) };
}
