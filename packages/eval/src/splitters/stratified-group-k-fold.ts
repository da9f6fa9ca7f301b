import { parseOptions } from '@modelsmith/core-tensor';
import { evalError, PACKAGE } from '../errors.js';
import { sameLength } from '../validate.js';
import { checkGroupCount } from './group-k-fold.js';
import { type ShuffleOptions, shuffleOptionsSchema } from './k-fold.js';
import { encodeLabels } from './label-encoding.js';
import { npStd1d, npStdAxis0, pairwiseSum } from './numpy-sum.js';
import { checkSplitCount, type Split, seededShuffle, splitsFromFolds } from './split.js';

/** `np.isclose(a, b)` with the default rtol 1e-5, atol 1e-8 (asymmetric: scaled by |b|). */
function isClose(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * scikit-learn 1.9 `StratifiedGroupKFold` (classification labels `y` and group ids, one per item).
 *
 * Unshuffled (sklearn-identical): per-group class counts (classes and groups in sorted order) are visited by
 * descending standard deviation across classes (stable, so ties keep group order); each group goes to the fold
 * that minimises the mean over classes of the std across folds of (fold's class count / class total); within
 * `np.isclose` of the best so far, a fold with fewer items wins, and the first fold wins full ties. Sums follow
 * numpy's order (pairwise / row by row) because the strict `<` makes ulp differences decide ties.
 *
 * `shuffle: true` permutes the group order before the stable sort (the semantics of sklearn's shuffle fix,
 * PR #32540, in 1.9), so only groups with equal class-count std are reordered; the permutation comes from our
 * keyed RNG, so shuffled folds are seeded but not numpy-identical.
 */
export function stratifiedGroupKFold(
  y: ArrayLike<number | string>,
  groups: ArrayLike<number | string>,
  nSplits = 5,
  options: ShuffleOptions = {},
): Split[] {
  const { shuffle, seed } = parseOptions(
    PACKAGE,
    'stratifiedGroupKFold options',
    shuffleOptionsSchema,
    options,
  );
  const labels = encodeLabels('y', y);
  const grouping = encodeLabels('groups', groups);
  sameLength('y', y, 'groups', groups);
  const n = labels.codes.length;
  checkSplitCount(n, nSplits);
  for (const v of labels.unique) {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      throw evalError(
        'E_INPUT',
        `y holds the non-integer value ${v}; stratification needs class labels (integers or strings), not a continuous target`,
      );
    }
  }
  const nClasses = labels.unique.length;
  const nGroups = grouping.unique.length;
  const yCnt = new Float64Array(nClasses);
  for (const c of labels.codes) yCnt[c]!++;
  if (yCnt.every((c) => nSplits > c)) {
    throw evalError(
      'E_INPUT',
      `nSplits=${nSplits} is larger than every class's size (largest ${Math.max(...yCnt)}); lower nSplits`,
    );
  }
  checkGroupCount(nGroups, nSplits);

  const counts = new Float64Array(nGroups * nClasses);
  for (let i = 0; i < n; i++) counts[grouping.codes[i]! * nClasses + labels.codes[i]!]!++;
  const visit = Int32Array.from({ length: nGroups }, (_, g) => g);
  if (shuffle) seededShuffle(visit, seed, 'stratified-group-k-fold');
  const spread = new Float64Array(nGroups);
  for (let g = 0; g < nGroups; g++) spread[g] = npStd1d(counts, g * nClasses, nClasses);
  const order = Array.from(visit).sort((a, b) => spread[b]! - spread[a]!); // stable (ES2019)

  const perFold = new Float64Array(nSplits * nClasses);
  const ratio = new Float64Array(nSplits * nClasses);
  const stdPerClass = new Float64Array(nClasses);
  const scratch = new Float64Array(nSplits);
  const groupFold = new Int32Array(nGroups);
  for (const g of order) {
    const row = g * nClasses;
    let best = -1;
    let minEval = Number.POSITIVE_INFINITY;
    let minSamples = Number.POSITIVE_INFINITY;
    for (let f = 0; f < nSplits; f++) {
      for (let c = 0; c < nClasses; c++) perFold[f * nClasses + c]! += counts[row + c]!;
      for (let k = 0; k < perFold.length; k++) ratio[k] = perFold[k]! / yCnt[k % nClasses]!;
      for (let c = 0; c < nClasses; c++) stdPerClass[c] = npStdAxis0(ratio, nSplits, nClasses, c, scratch);
      for (let c = 0; c < nClasses; c++) perFold[f * nClasses + c]! -= counts[row + c]!;
      const foldEval = pairwiseSum(stdPerClass) / nClasses;
      const samples = pairwiseSum(perFold, f * nClasses, nClasses);
      if (foldEval < minEval || (isClose(foldEval, minEval) && samples < minSamples)) {
        minEval = foldEval;
        minSamples = samples;
        best = f;
      }
    }
    for (let c = 0; c < nClasses; c++) perFold[best * nClasses + c]! += counts[row + c]!;
    groupFold[g] = best;
  }
  return splitsFromFolds(
    grouping.codes.map((g) => groupFold[g]!),
    nSplits,
  );
}
