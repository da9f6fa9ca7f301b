import { linearLeastSquares } from '../internal/linear-least-squares.js';
import type { Regressor } from './regression-tree-ensemble.js';

/** Ridge regression with an intercept (RegMix's linear baseline). */
export function fitLinearRegressor(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p: number,
  ridge = 1e-6,
): Regressor & { readonly intercept: number; readonly coefficients: Float64Array } {
  const n = y.length;
  const design = new Float64Array(n * (p + 1));
  for (let i = 0; i < n; i++) {
    design[i * (p + 1)] = 1;
    for (let j = 0; j < p; j++) design[i * (p + 1) + j + 1] = x[i * p + j]!;
  }
  const beta = linearLeastSquares(design, y, p + 1, ridge);
  const coefficients = beta.subarray(1);
  const intercept = beta[0]!;
  return {
    intercept,
    coefficients,
    predict(row) {
      let v = intercept;
      for (let j = 0; j < p; j++) v += coefficients[j]! * row[j]!;
      return v;
    },
  };
}
