import { evalError } from '../errors.js';
import { probability } from '../validate.js';

export interface VerifierResampling {
  /** Limit of P(return a correct answer) as K → ∞: p / (p + (1 − p)f). */
  readonly ceiling: number;
  /** P(the first accepted answer within K tries is correct). */
  readonly correct: number;
  /** P(the first accepted answer within K tries is a false positive). */
  readonly falsePositive: number;
  /** P(no answer accepted within K tries: abstain). */
  readonly abstain: number;
}

/**
 * Resampling against an imperfect verifier (Stroebl, Kapoor, Narayanan): per sample P(correct) = p, wrong
 * answers pass with false-positive rate f; resample up to K times and return the first pass.
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
  const s = p + (1 - p) * falsePositiveRate;
  if (s === 0) return { ceiling: 0, correct: 0, falsePositive: 0, abstain: 1 };
  const reach = Number.isFinite(K) ? -Math.expm1(K * Math.log1p(-s)) : 1;
  const ceiling = p / s;
  return {
    ceiling,
    correct: ceiling * reach,
    falsePositive: (((1 - p) * falsePositiveRate) / s) * reach,
    abstain: 1 - reach,
  };
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
