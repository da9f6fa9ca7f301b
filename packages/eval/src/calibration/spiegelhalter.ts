import { normalSf } from '@modelsmith/core-tensor';
import { evalError } from '../errors.js';
import { checkCalibrationInput } from './reliability-bins.js';

/**
 * Spiegelhalter's z-test of calibration (as in MAPIE): z = Σ(y − p)(1 − 2p) / √(Σ(1 − 2p)² p(1 − p)),
 * two-sided normal p-value. Tests the Brier score against its expectation under perfect calibration.
 */
export function spiegelhalterTest(
  probability: ArrayLike<number>,
  outcome: ArrayLike<number | boolean>,
): { z: number; pValue: number } {
  checkCalibrationInput(probability, outcome);
  let num = 0;
  let den = 0;
  for (let i = 0; i < probability.length; i++) {
    const p = probability[i]!;
    const y = outcome[i] === true || outcome[i] === 1 ? 1 : 0;
    num += (y - p) * (1 - 2 * p);
    den += (1 - 2 * p) ** 2 * p * (1 - p);
  }
  if (!(den > 0))
    throw evalError('E_INPUT', 'all probabilities are 0, ½ or 1; the Spiegelhalter statistic is undefined');
  const z = num / Math.sqrt(den);
  return { z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
