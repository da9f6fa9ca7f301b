import { statsError } from './stats-error.js';

export interface VerifierResamplingResult {
  /** Limit of P(correct) as k → ∞: p_c/(p_c + p_fp) (0 when nothing is ever accepted). */
  readonly ceiling: number;
  /** P(the first accepted answer within k tries is correct). */
  readonly correct: number;
  /** P(the first accepted answer within k tries is a false positive). */
  readonly falsePositive: number;
  /** P(no answer accepted within k tries: abstain). */
  readonly abstain: number;
}

/**
 * Resampling against an imperfect verifier (Stroebl, Kapoor, Narayanan, "Inference scaling fLaws"):
 * each sample is, independently, correct and accepted with probability `pCorrect`, wrong but accepted
 * with probability `pFalsePositive` (an absolute rate, not conditional on being wrong), else rejected.
 * Draw until the verifier accepts, at most `k` times (`Infinity` for the limit).
 * With s = p_c + p_fp and reach = 1 − (1 − s)^k: correct = p_c·reach/s, falsePositive = p_fp·reach/s.
 * A conditional false-positive rate f (wrong answers pass with probability f) is p_fp = (1 − p_c)·f.
 */
export function verifierResampling(
  pCorrect: number,
  pFalsePositive: number,
  k = Number.POSITIVE_INFINITY,
): VerifierResamplingResult {
  if (!(pCorrect >= 0 && pFalsePositive >= 0 && pCorrect + pFalsePositive <= 1)) {
    throw statsError(
      'E_INPUT',
      `verifierResampling: need pCorrect >= 0, pFalsePositive >= 0 and pCorrect + pFalsePositive <= 1, got ${pCorrect} and ${pFalsePositive}`,
    );
  }
  if (!(k >= 1) || (Number.isFinite(k) && !Number.isInteger(k)))
    throw statsError('E_INPUT', `verifierResampling: k must be a positive integer or Infinity, got ${k}`);
  const s = pCorrect + pFalsePositive;
  if (s === 0) return { ceiling: 0, correct: 0, falsePositive: 0, abstain: 1 };
  // 1 − (1 − s)^k via expm1/log1p: accurate when s is tiny.
  const reach = Number.isFinite(k) ? -Math.expm1(k * Math.log1p(-s)) : 1;
  const ceiling = pCorrect / s;
  return {
    ceiling,
    correct: ceiling * reach,
    falsePositive: (pFalsePositive / s) * reach,
    abstain: 1 - reach,
  };
}
