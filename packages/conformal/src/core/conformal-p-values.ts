import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { countBelow, countTies } from './count-below.js';
import { finiteArray, type NumericArray } from './validate.js';

export const pValueOptionsSchema = z
  .object({
    /** Smoothed (randomized) p-values: exactly uniform under exchangeability. Default false. */
    randomized: z.boolean().default(false),
    /** Seed for the tie-breaking uniforms U_j (randomized only). */
    seed: z.number().int().safe().default(0),
    /** A fixed U in [0, 1] for every test point instead of seeded draws (reproducing a reference). */
    u: z.number().min(0).max(1).optional(),
  })
  .strict();
export type PValueOptions = z.input<typeof pValueOptionsSchema>;

/** Draws U_j for a randomized routine: a fixed `u`, or `createRandom(seed, key).uniform(j)`. */
export function uniformSource(
  options: { seed: number; u?: number | undefined },
  key: string,
): (j: number) => number {
  if (options.u !== undefined) {
    const u = options.u;
    return () => u;
  }
  const random = createRandom(options.seed, 'conformal', key);
  return (j) => random.uniform(j);
}

/**
 * Conformal p-values of test scores against calibration scores (larger score = more nonconforming).
 * Deterministic: p = (1 + #{s_i ≥ s}) / (n+1), valid (P(p ≤ t) ≤ t).
 * Randomized: p = (#{s_i > s} + U·(#{s_i = s} + 1)) / (n+1), exactly uniform under exchangeability.
 */
export function conformalPValues(
  calScores: NumericArray,
  testScores: NumericArray,
  options: PValueOptions = {},
): Float64Array {
  const opts = parseOptions(PACKAGE_NAME, 'options', pValueOptionsSchema, options);
  const sorted = finiteArray(calScores, 'calScores').sort();
  const test = finiteArray(testScores, 'testScores');
  return pValuesSorted(sorted, test, opts.randomized ? uniformSource(opts, 'p-value') : undefined);
}

/** Internal: p-values against ascending `sorted`; `u` undefined means deterministic. */
export function pValuesSorted(
  sorted: Float64Array,
  test: Float64Array,
  u: ((j: number) => number) | undefined,
) {
  const n = sorted.length;
  const out = new Float64Array(test.length);
  for (let j = 0; j < test.length; j++) {
    const s = test[j]!;
    const less = countBelow(sorted, s, false);
    if (u === undefined) {
      out[j] = (1 + n - less) / (n + 1);
      continue;
    }
    // ties are usually few: scan instead of a second binary search
    const atMost = countTies(sorted, less, s);
    out[j] = (n - atMost + u(j) * (atMost - less + 1)) / (n + 1);
  }
  return out;
}
