import { parseOptions } from '@modelsmith/core-tensor';
import { evalError, PACKAGE } from '../errors.js';
import { type ShuffleOptions, shuffleOptionsSchema } from './k-fold.js';
import { encodeLabels } from './label-encoding.js';
import { checkSplitCount, type Split, seededShuffle, splitsFromFolds } from './split.js';

/** Throws E_INPUT unless there are at least `nSplits` distinct groups (as sklearn's ValueError). */
export function checkGroupCount(nGroups: number, nSplits: number): void {
  if (nSplits > nGroups) {
    throw evalError(
      'E_INPUT',
      `nSplits=${nSplits} exceeds the number of distinct groups (${nGroups}); lower nSplits or use finer groups`,
    );
  }
}

/**
 * scikit-learn 1.9 `GroupKFold` (groups = one id per item, numbers or strings).
 *
 * Unshuffled (sklearn-identical): groups are numbered in sorted order, weighted by their item count, and taken
 * largest first — equal sizes in *descending* group order, i.e. the reversed stable argsort sklearn uses since
 * 1.9 — each into the currently lightest fold (the first one on ties). Before 1.9 sklearn used numpy's
 * unstable argsort, so ties in group size could be ordered differently there.
 *
 * `shuffle: true` follows sklearn ≥ 1.6: the sorted groups are permuted and cut into nSplits contiguous chunks
 * (`np.array_split`: the first nGroups mod nSplits chunks get one group more), ignoring group sizes. The
 * permutation comes from our keyed RNG, so shuffled folds are seeded and reproducible but not numpy-identical.
 */
export function groupKFold(
  groups: ArrayLike<number | string>,
  nSplits = 5,
  options: ShuffleOptions = {},
): Split[] {
  const { shuffle, seed } = parseOptions(PACKAGE, 'groupKFold options', shuffleOptionsSchema, options);
  const { unique, codes } = encodeLabels('groups', groups);
  checkSplitCount(codes.length, nSplits);
  const nGroups = unique.length;
  checkGroupCount(nGroups, nSplits);
  const groupFold = new Int32Array(nGroups);
  if (shuffle) {
    const perm = seededShuffle(
      Int32Array.from({ length: nGroups }, (_, g) => g),
      seed,
      'group-k-fold',
    );
    let p = 0;
    for (let f = 0; f < nSplits; f++) {
      const size = Math.floor(nGroups / nSplits) + (f < nGroups % nSplits ? 1 : 0);
      for (let t = 0; t < size; t++) groupFold[perm[p++]!] = f;
    }
  } else {
    const sizes = new Float64Array(nGroups);
    for (const g of codes) sizes[g]!++;
    const order = Array.from({ length: nGroups }, (_, g) => g).sort((a, b) => sizes[b]! - sizes[a]! || b - a);
    const foldWeight = new Float64Array(nSplits);
    for (const g of order) {
      let lightest = 0; // np.argmin: first minimum
      for (let f = 1; f < nSplits; f++) if (foldWeight[f]! < foldWeight[lightest]!) lightest = f;
      foldWeight[lightest]! += sizes[g]!;
      groupFold[g] = lightest;
    }
  }
  return splitsFromFolds(
    codes.map((g) => groupFold[g]!),
    nSplits,
  );
}
