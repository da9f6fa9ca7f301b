// Hand-worked values for s = p_c + p_fp, reach = 1 − (1 − s)^k; the parametrisation identity is checked
// against a direct per-try sum written in the conditional form (wrong answers pass with probability f).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifierResampling } from './verifier-resampling.js';

/** P(correct), P(false positive) after at most k tries, summed try by try in the conditional form. */
function conditionalBySum(p: number, f: number, k: number): { correct: number; falsePositive: number } {
  let stillTrying = 1;
  let correct = 0;
  let falsePositive = 0;
  for (let j = 0; j < k; j++) {
    correct += stillTrying * p;
    falsePositive += stillTrying * (1 - p) * f;
    stillTrying *= (1 - p) * (1 - f);
  }
  return { correct, falsePositive };
}

describe('verifierResampling', () => {
  it('hand-worked: p_c = 0.2, p_fp = 0.05, k = 2', () => {
    // s = 0.25, reach = 1 − 0.75² = 0.4375; correct = 0.2 + 0.75·0.2 = 0.35; fp = 0.05 + 0.75·0.05 = 0.0875
    const r = verifierResampling(0.2, 0.05, 2);
    expect(r.ceiling).toBeCloseTo(0.8, 15);
    expect(r.correct).toBeCloseTo(0.35, 15);
    expect(r.falsePositive).toBeCloseTo(0.0875, 15);
    expect(r.abstain).toBeCloseTo(0.5625, 15);
    // k = 1 is a single draw: correct = p_c, false positive = p_fp
    const one = verifierResampling(0.2, 0.05, 1);
    expect(one.correct).toBeCloseTo(0.2, 15);
    expect(one.falsePositive).toBeCloseTo(0.05, 15);
  });

  it('k → ∞: correct tends to the ceiling p_c/(p_c + p_fp), abstention to 0', () => {
    const limit = verifierResampling(0.2, 0.05);
    expect(limit).toEqual({ ceiling: 0.8, correct: 0.8, falsePositive: 0.2, abstain: 0 });
    const large = verifierResampling(0.2, 0.05, 10_000);
    expect(large.correct).toBeCloseTo(0.8, 12);
    expect(large.abstain).toBeLessThan(1e-300);
    // Increasing k never lowers P(correct) and never exceeds the ceiling.
    let prev = 0;
    for (const k of [1, 2, 5, 10, 50, 200]) {
      const r = verifierResampling(0.01, 0.002, k);
      expect(r.correct).toBeGreaterThanOrEqual(prev);
      expect(r.correct).toBeLessThanOrEqual(r.ceiling + 1e-15);
      prev = r.correct;
    }
  });

  it('nothing ever accepted: abstain with probability 1; perfect verifier: ceiling 1', () => {
    expect(verifierResampling(0, 0, 5)).toEqual({ ceiling: 0, correct: 0, falsePositive: 0, abstain: 1 });
    expect(verifierResampling(0.3, 0, 3).ceiling).toBe(1);
  });

  it('identity: absolute p_fp = (1 − p)·f gives the conditional-rate model (per-try sum)', () => {
    // p = 0.3, f = 0.1: ceiling 0.3/(0.3 + 0.07) = 0.810811 (eval spec §2.3)
    expect(verifierResampling(0.3, 0.7 * 0.1).ceiling).toBeCloseTo(0.3 / 0.37, 15);
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (p, f, k) => {
          const r = verifierResampling(p, (1 - p) * f, k);
          const direct = conditionalBySum(p, f, k);
          expect(Math.abs(r.correct - direct.correct)).toBeLessThan(1e-12);
          expect(Math.abs(r.falsePositive - direct.falsePositive)).toBeLessThan(1e-12);
          expect(Math.abs(r.correct + r.falsePositive + r.abstain - 1)).toBeLessThan(1e-12);
          expect(Math.abs(r.ceiling - p / (p + (1 - p) * f))).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects impossible probabilities and budgets', () => {
    expect(() => verifierResampling(0.7, 0.4, 1)).toThrow(/pCorrect \+ pFalsePositive <= 1/);
    expect(() => verifierResampling(-0.1, 0, 1)).toThrow(/pCorrect >= 0/);
    expect(() => verifierResampling(0.1, Number.NaN, 1)).toThrow(/verifierResampling/);
    expect(() => verifierResampling(0.1, 0.1, 0)).toThrow(/k must be a positive integer or Infinity/);
    expect(() => verifierResampling(0.1, 0.1, 2.5)).toThrow(/k must be/);
  });
});
