import { evalError } from '../errors.js';
import { checkSplitCount, complement, type Split } from './split.js';

/**
 * scikit-learn 1.2 `GroupKFold`: groups (sorted by value) are assigned largest first to the currently lightest
 * fold (first lightest on ties). Equal-sized groups are taken in descending group order, which is what numpy's
 * argsort followed by reversal gives for ≤ 16 groups; with more groups of equal size sklearn's order is
 * implementation-defined, so fold membership can differ there (sizes per fold are the same).
 */
export function groupKFold(groups: ArrayLike<number | string>, nSplits = 5): Split[] {
  const n = groups.length;
  checkSplitCount(n, nSplits);
  const unique = [...new Set(Array.from(groups))].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
  if (unique.length < nSplits) {
    throw evalError('E_INPUT', `nSplits=${nSplits} exceeds the number of distinct groups (${unique.length})`);
  }
  const index = new Map(unique.map((g, i) => [g, i]));
  const sizes = new Array<number>(unique.length).fill(0);
  for (let i = 0; i < n; i++) sizes[index.get(groups[i]!)!]!++;
  const order = sizes.map((_, g) => g).sort((a, b) => sizes[b]! - sizes[a]! || b - a);
  const foldWeight = new Array<number>(nSplits).fill(0);
  const groupFold = new Int32Array(unique.length);
  for (const g of order) {
    let lightest = 0;
    for (let f = 1; f < nSplits; f++) if (foldWeight[f]! < foldWeight[lightest]!) lightest = f;
    foldWeight[lightest]! += sizes[g]!;
    groupFold[g] = lightest;
  }
  return Array.from({ length: nSplits }, (_, f) => {
    const test: number[] = [];
    for (let i = 0; i < n; i++) if (groupFold[index.get(groups[i]!)!] === f) test.push(i);
    const testArray = Int32Array.from(test);
    return { train: complement(n, testArray), test: testArray };
  });
}
