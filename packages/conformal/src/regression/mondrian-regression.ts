import { mondrianQuantiles } from '../core/mondrian-quantiles.js';
import {
  checkAlpha,
  checkSameLength,
  finiteArray,
  type NumericArray,
  positiveArray,
} from '../core/validate.js';
import { conformalError } from '../errors.js';
import { absoluteResidualScores, normalizedResidualScores } from './regression-scores.js';

/**
 * Mondrian split conformal regression (crepes-style): each group (category of x, binned difficulty or
 * binned prediction) is calibrated on its own n_g scores, so coverage ≥ 1−α holds within every group.
 * Absolute score ŷ ± q̂_g, or normalized ŷ ± q̂_g·σ when sigmas are given. A test group absent from
 * calibration gets (−∞, +∞).
 */
export function mondrianSplitConformalRegression(input: {
  calY: NumericArray;
  calPredictions: NumericArray;
  calGroups: readonly (string | number)[];
  testPredictions: NumericArray;
  testGroups: readonly (string | number)[];
  alpha: number;
  calSigma?: NumericArray;
  testSigma?: NumericArray;
}): {
  groups: Map<string | number, { n: number; k: number; q: number }>;
  lower: Float64Array;
  upper: Float64Array;
} {
  checkAlpha(input.alpha);
  const normalized = input.calSigma !== undefined || input.testSigma !== undefined;
  if (normalized && (!input.calSigma || !input.testSigma)) {
    throw conformalError('E_INPUT', 'normalized Mondrian regression needs both calSigma and testSigma');
  }
  const scores = normalized
    ? normalizedResidualScores(input.calY, input.calPredictions, input.calSigma!)
    : absoluteResidualScores(input.calY, input.calPredictions);
  const quantiles = mondrianQuantiles(scores, input.calGroups, input.alpha);
  checkSameLength({ testPredictions: input.testPredictions, testGroups: input.testGroups });
  const test = finiteArray(input.testPredictions, 'testPredictions');
  const sigma = normalized ? positiveArray(input.testSigma!, 'testSigma') : undefined;
  if (sigma) checkSameLength({ testPredictions: test, testSigma: sigma });
  const lower = new Float64Array(test.length);
  const upper = new Float64Array(test.length);
  for (let j = 0; j < test.length; j++) {
    const q = quantiles.get(input.testGroups[j]!)?.q ?? Number.POSITIVE_INFINITY;
    const half = sigma ? q * sigma[j]! : q;
    lower[j] = test[j]! - half;
    upper[j] = test[j]! + half;
  }
  const groups = new Map([...quantiles].map(([g, v]) => [g, { n: v.n, k: v.k, q: v.q }]));
  return { groups, lower, upper };
}
