import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { type Split, seededShuffle } from './split.js';

export const shuffleSplitOptionsSchema = z
  .object({
    nSplits: z.number().int().positive().default(10),
    /** Fraction in (0, 1) or an absolute count. */
    testSize: z.number().positive().default(0.1),
    seed: z.number().int().default(0),
  })
  .strict();
export type ShuffleSplitOptions = z.input<typeof shuffleSplitOptionsSchema>;

/** sklearn `ShuffleSplit` sizes (n_test = ceil(f·n)) with seeded permutations; test first, then train. */
export function shuffleSplit(n: number, options: ShuffleSplitOptions = {}): Split[] {
  const o = parseOptions(PACKAGE, 'shuffleSplit options', shuffleSplitOptionsSchema, options);
  const nTest = o.testSize < 1 ? Math.ceil(o.testSize * n) : o.testSize;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) {
    throw evalError('E_INPUT', `testSize=${o.testSize} gives ${nTest} test items out of n=${n}; need 1..n−1`);
  }
  return Array.from({ length: o.nSplits }, (_, s) => {
    const perm = seededShuffle(
      Int32Array.from({ length: n }, (_, i) => i),
      o.seed,
      'shuffle-split',
      s,
    );
    return { test: perm.slice(0, nTest), train: perm.slice(nTest) };
  });
}
