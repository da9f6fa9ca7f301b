import { checkSameLength, finiteArray, type NumericArray, positiveArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

/** |y − ŷ|. */
export function absoluteResidualScores(y: NumericArray, predictions: NumericArray): Float64Array {
  checkSameLength({ y, predictions });
  const yy = finiteArray(y, 'y');
  const p = finiteArray(predictions, 'predictions');
  const out = new Float64Array(yy.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(yy[i]! - p[i]!);
  return out;
}

/** |y − ŷ| / σ with σ > 0 a difficulty estimate (a residual model, a predictive std). */
export function normalizedResidualScores(
  y: NumericArray,
  predictions: NumericArray,
  sigma: NumericArray,
): Float64Array {
  checkSameLength({ y, predictions, sigma });
  const s = positiveArray(sigma, 'sigma');
  const out = absoluteResidualScores(y, predictions);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / s[i]!;
  return out;
}

/** Signed relative residual (y − ŷ) / ŷ (MAPIE's gamma score); needs ŷ > 0. */
export function gammaScores(y: NumericArray, predictions: NumericArray): Float64Array {
  checkSameLength({ y, predictions });
  const yy = finiteArray(y, 'y');
  const p = finiteArray(predictions, 'predictions');
  const out = new Float64Array(yy.length);
  for (let i = 0; i < out.length; i++) {
    if (!(p[i]! > 0)) {
      throw conformalError(
        'E_INPUT',
        `predictions[${i}] is ${p[i]}; the gamma score needs strictly positive predictions (use the absolute score otherwise)`,
      );
    }
    out[i] = (yy[i]! - p[i]!) / p[i]!;
  }
  return out;
}

/** CQR score max(lo − y, y − hi): negative when y is strictly inside [lo, hi]. */
export function cqrScores(y: NumericArray, lower: NumericArray, upper: NumericArray): Float64Array {
  checkSameLength({ y, lower, upper });
  const yy = finiteArray(y, 'y');
  const lo = finiteArray(lower, 'lower');
  const hi = finiteArray(upper, 'upper');
  const out = new Float64Array(yy.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(lo[i]! - yy[i]!, yy[i]! - hi[i]!);
  return out;
}
