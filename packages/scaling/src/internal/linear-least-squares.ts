import { leastSquares, ModelsmithError } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';

/**
 * min ‖Xβ − y‖² + ridge·‖β_{1..}‖² (X row-major n×p; column 0 is not penalised when `interceptFirst`),
 * solved by core-tensor's QR `leastSquares` on X stacked over √ridge·I: the same minimiser as the ridge
 * normal equations without squaring the condition number. Keeps scaling's error code and message.
 */
export function linearLeastSquares(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p: number,
  ridge = 0,
  interceptFirst = true,
): Float64Array {
  const n = y.length;
  const penalised = ridge > 0 ? (interceptFirst ? p - 1 : p) : 0;
  const rows = n + penalised;
  const a = new Float64Array(rows * p);
  const b = new Float64Array(rows);
  for (let i = 0; i < n * p; i++) a[i] = x[i]!;
  for (let i = 0; i < n; i++) b[i] = y[i]!;
  const root = Math.sqrt(ridge);
  for (let r = 0; r < penalised; r++) a[(n + r) * p + r + p - penalised] = root;
  if (rows < p) throw singular();
  try {
    return leastSquares({ rows, cols: p, data: a }, b);
  } catch (error) {
    if (error instanceof ModelsmithError && error.code === 'E_NUMERIC') throw singular(error);
    throw error;
  }
}

function singular(cause?: unknown): ModelsmithError {
  return scalingError(
    'E_NUMERIC',
    'the regression is singular (collinear or constant features); add more varied points or a ridge penalty',
    cause,
  );
}
