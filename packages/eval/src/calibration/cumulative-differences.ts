import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { checkCalibrationInput } from './reliability-bins.js';

export const cumulativeDifferencesOptionsSchema = z
  .object({
    /**
     * Equal confidences: 'group' evaluates the cumulative differences only after each whole group of ties
     * (deterministic, order-free; never larger statistics, so p-values are conservative); 'random' orders
     * each group by a seeded random permutation (MAPIE's tiny jitter, in distribution).
     */
    ties: z.enum(['group', 'random']).default('group'),
    /** Seed of the 'random' tie order. */
    seed: z.number().int().default(0),
  })
  .strict();
export type CumulativeDifferencesOptions = z.input<typeof cumulativeDifferencesOptionsSchema>;

export interface CumulativeDifferences {
  /** Confidence at each evaluation point, ascending (one point per item, or per tie group with 'group'). */
  readonly confidence: Float64Array;
  /** C_k = (1/n) Σ_{j ≤ k} (y_(j) − p_(j)) over items sorted by confidence; C_0 = 0 is implicit. */
  readonly differences: Float64Array;
  /** σ = √(Σ p_i(1 − p_i)) / n: the standard deviation of C_n under perfect calibration. */
  readonly sigma: number;
  readonly n: number;
}

/**
 * Cumulative differences between outcomes and confidences, sorted by confidence (Arrieta-Ibarra, Gujral,
 * Tannen, Tygert & Xu 2022; MAPIE `cumulative_differences`). Under perfect calibration C_k/σ is a
 * time-changed random walk that converges to a standard Brownian motion on [0, 1].
 */
export function cumulativeDifferences(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: CumulativeDifferencesOptions = {},
): CumulativeDifferences {
  const { ties, seed } = parseOptions(
    PACKAGE,
    'cumulativeDifferences options',
    cumulativeDifferencesOptionsSchema,
    options,
  );
  checkCalibrationInput(confidence, correct);
  const n = confidence.length;
  const tieKey = new Float64Array(n);
  if (ties === 'random') createRandom(seed, 'eval', 'calibration-ties').fillUniform(tieKey);
  else for (let i = 0; i < n; i++) tieKey[i] = i;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => confidence[a]! - confidence[b]! || tieKey[a]! - tieKey[b]!,
  );
  let variance = 0;
  for (let i = 0; i < n; i++) variance += confidence[i]! * (1 - confidence[i]!);
  const xs: number[] = [];
  const cs: number[] = [];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const p = confidence[i]!;
    sum += (correct[i] === true || correct[i] === 1 ? 1 : 0) - p;
    const groupEnds = ties === 'random' || k === n - 1 || confidence[order[k + 1]!]! !== p;
    if (groupEnds) {
      xs.push(p);
      cs.push(sum / n);
    }
  }
  return {
    confidence: Float64Array.from(xs),
    differences: Float64Array.from(cs),
    sigma: Math.sqrt(variance) / n,
    n,
  };
}

/** σ > 0 is needed to standardize; it is 0 only when every confidence is 0 or 1. */
export function checkSigma(result: CumulativeDifferences, test: string): void {
  if (!(result.sigma > 0))
    throw evalError(
      'E_INPUT',
      `every confidence is 0 or 1, so the ${test} calibration statistic is undefined (σ = 0)`,
    );
}
