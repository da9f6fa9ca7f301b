import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE } from '../errors.js';
import { checkSplitCount, complement, type Split, seededShuffle } from './split.js';

export const shuffleOptionsSchema = z
  .object({
    /** Shuffle before splitting with the seeded RNG (fold membership then differs from numpy's). */
    shuffle: z.boolean().default(false),
    seed: z.number().int().default(0),
  })
  .strict();
export type ShuffleOptions = z.input<typeof shuffleOptionsSchema>;

/** sklearn `KFold`: contiguous test folds, the first n mod k folds one item larger. */
export function kFold(n: number, nSplits = 5, options: ShuffleOptions = {}): Split[] {
  const { shuffle, seed } = parseOptions(PACKAGE, 'kFold options', shuffleOptionsSchema, options);
  checkSplitCount(n, nSplits);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) seededShuffle(indices, seed, 'k-fold');
  const splits: Split[] = [];
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const size = Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    const test = indices.slice(start, start + size);
    splits.push({ train: complement(n, test), test });
    start += size;
  }
  return splits;
}

/** sklearn `LeaveOneOut`. */
export function leaveOneOut(n: number): Split[] {
  checkSplitCount(n, n, 2);
  return Array.from({ length: n }, (_, i) => {
    const test = Int32Array.of(i);
    return { train: complement(n, test), test };
  });
}

/** sklearn `RepeatedKFold`: shuffled k-fold repeated with independent seeded permutations. */
export function repeatedKFold(n: number, nSplits = 5, repeats = 10, seed = 0): Split[] {
  const out: Split[] = [];
  for (let r = 0; r < repeats; r++)
    out.push(...kFold(n, nSplits, { shuffle: true, seed: seed * 1000003 + r }));
  return out;
}
