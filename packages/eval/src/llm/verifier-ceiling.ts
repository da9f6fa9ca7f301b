import { type VerifierResamplingResult, verifierResampling } from '@modelsmith/core-tensor';
import { evalError } from '../errors.js';
import { probability } from '../validate.js';

/** Outcome probabilities of resampling against an imperfect verifier (core-tensor's `verifierResampling`). */
export type VerifierResampling = VerifierResamplingResult;

/**
 * Resampling against an imperfect verifier (Stroebl, Kapoor, Narayanan): per sample P(correct) = p, wrong
 * answers pass with false-positive rate f; resample up to K times and return the first pass.
 * `ceiling` = p / (p + (1 − p)f) is the K → ∞ limit of P(correct). The math is core-tensor's
 * `verifierResampling` with the absolute false-positive rate (1 − p)·f (scaling's parametrisation).
 */
export function verifierCeiling(
  p: number,
  falsePositiveRate: number,
  K = Number.POSITIVE_INFINITY,
): VerifierResampling {
  probability('p', p);
  probability('falsePositiveRate', falsePositiveRate);
  if (!(K >= 1) || (Number.isFinite(K) && !Number.isInteger(K)))
    throw evalError('E_INPUT', `K must be a positive integer or Infinity, got ${K}`);
  return verifierResampling(p, (1 - p) * falsePositiveRate, K);
}

/** K in 1..maxK maximising P(correct) − cost·P(false positive) (utility +1 / −cost / 0 for abstain). */
export function optimalResamples(
  p: number,
  falsePositiveRate: number,
  cost: number,
  maxK = 1000,
): { K: number; utility: number } {
  if (!(cost >= 0)) throw evalError('E_INPUT', `cost must be ≥ 0, got ${cost}`);
  let best = { K: 1, utility: Number.NEGATIVE_INFINITY };
  for (let K = 1; K <= maxK; K++) {
    const r = verifierCeiling(p, falsePositiveRate, K);
    const utility = r.correct - cost * r.falsePositive;
    if (utility > best.utility + 1e-15) best = { K, utility };
  }
  return best;
}
