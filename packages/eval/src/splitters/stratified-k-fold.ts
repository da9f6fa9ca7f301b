import { parseOptions } from '@modelsmith/core-tensor';
import { evalError, PACKAGE } from '../errors.js';
import { type ShuffleOptions, shuffleOptionsSchema } from './k-fold.js';
import { checkSplitCount, complement, type Split, seededShuffle } from './split.js';

/**
 * sklearn `StratifiedKFold` (≥ 0.22 assignment): classes encoded by first appearance, per-fold class counts by
 * round robin over the sorted labels, and each class's items given fold numbers in blocks (in data order).
 */
export function stratifiedKFold(
  y: ArrayLike<number | string>,
  nSplits = 5,
  options: ShuffleOptions = {},
): Split[] {
  const { shuffle, seed } = parseOptions(PACKAGE, 'stratifiedKFold options', shuffleOptionsSchema, options);
  const n = y.length;
  checkSplitCount(n, nSplits);
  const code = new Map<number | string, number>();
  const encoded = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = code.get(y[i]!);
    if (c === undefined) {
      c = code.size;
      code.set(y[i]!, c);
    }
    encoded[i] = c;
  }
  const nClasses = code.size;
  const counts = new Int32Array(nClasses);
  for (const c of encoded) counts[c]!++;
  if (counts.every((c) => c < nSplits)) {
    throw evalError(
      'E_INPUT',
      `nSplits=${nSplits} is larger than every class's size; no stratified split exists`,
    );
  }
  // allocation[f][k] = #class k among positions f, f + nSplits, … of the sorted labels.
  const sorted = Int32Array.from(encoded).sort();
  const allocation = Array.from({ length: nSplits }, () => new Int32Array(nClasses));
  for (let p = 0; p < n; p++) allocation[p % nSplits]![sorted[p]!]!++;
  const testFold = new Int32Array(n);
  for (let k = 0; k < nClasses; k++) {
    const folds: number[] = [];
    for (let f = 0; f < nSplits; f++) for (let t = 0; t < allocation[f]![k]!; t++) folds.push(f);
    const foldArray = Int32Array.from(folds);
    if (shuffle) seededShuffle(foldArray, seed, 'stratified', k);
    let t = 0;
    for (let i = 0; i < n; i++) if (encoded[i] === k) testFold[i] = foldArray[t++]!;
  }
  return Array.from({ length: nSplits }, (_, f) => {
    const test: number[] = [];
    for (let i = 0; i < n; i++) if (testFold[i] === f) test.push(i);
    const testArray = Int32Array.from(test);
    return { train: complement(n, testArray), test: testArray };
  });
}

/** sklearn `RepeatedStratifiedKFold` with seeded shuffles. */
export function repeatedStratifiedKFold(
  y: ArrayLike<number | string>,
  nSplits = 5,
  repeats = 10,
  seed = 0,
): Split[] {
  const out: Split[] = [];
  for (let r = 0; r < repeats; r++)
    out.push(...stratifiedKFold(y, nSplits, { shuffle: true, seed: seed * 1000003 + r }));
  return out;
}
