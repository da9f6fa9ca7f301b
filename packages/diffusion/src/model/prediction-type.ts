import { diffusionError } from '../errors.js';

/** What a denoiser returns: noise, clean data, v (`alpha eps - sigma x0`), score, or flow velocity (`eps - x0`). */
export type PredictionType = 'eps' | 'x0' | 'v' | 'score' | 'flow';

export const PREDICTION_TYPES: readonly PredictionType[] = ['eps', 'x0', 'v', 'score', 'flow'];

/**
 * Converts a model output between parameterisations at a point `x` with coefficients
 * `alpha, sigma` (`x = alpha x0 + sigma eps`). All maps are exact linear identities; v and flow use
 * the general forms (`x0 = (alpha x - sigma v)/(alpha^2+sigma^2)`, `x0 = (x - sigma u)/(alpha+sigma)`),
 * which reduce to the usual ones on VP and rectified-flow schedules.
 */
export function convertPrediction(
  prediction: Float64Array,
  from: PredictionType,
  to: PredictionType,
  x: Float64Array,
  alpha: number,
  sigma: number,
  out: Float64Array = new Float64Array(prediction.length),
): Float64Array {
  if (prediction.length !== x.length) {
    throw diffusionError(
      'E_SHAPE_MISMATCH',
      `prediction has ${prediction.length} values but x has ${x.length}; the denoiser must return one value per input`,
    );
  }
  const n = x.length;
  if (from === to) {
    out.set(prediction);
    return out;
  }
  const a2s2 = alpha * alpha + sigma * sigma;
  const apS = alpha + sigma;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const p = prediction[i]!;
    let x0: number;
    let eps: number;
    switch (from) {
      case 'eps':
        eps = p;
        x0 = (xi - sigma * p) / alpha;
        break;
      case 'x0':
        x0 = p;
        eps = (xi - alpha * p) / sigma;
        break;
      case 'score':
        eps = -sigma * p;
        x0 = (xi + sigma * sigma * p) / alpha;
        break;
      case 'v':
        x0 = (alpha * xi - sigma * p) / a2s2;
        eps = (sigma * xi + alpha * p) / a2s2;
        break;
      default:
        x0 = (xi - sigma * p) / apS;
        eps = (xi + alpha * p) / apS;
    }
    switch (to) {
      case 'eps':
        out[i] = eps;
        break;
      case 'x0':
        out[i] = x0;
        break;
      case 'score':
        out[i] = -eps / sigma;
        break;
      case 'v':
        out[i] = alpha * eps - sigma * x0;
        break;
      default:
        out[i] = eps - x0;
    }
  }
  return out;
}
