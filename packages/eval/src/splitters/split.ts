import { createRandom } from '@modelsmith/core-tensor';
import { evalError } from '../errors.js';

/** One train/test split of item indices. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export function checkSplitCount(n: number, nSplits: number, minSplits = 2): void {
  if (!Number.isInteger(n) || n < 1)
    throw evalError('E_INPUT', `n must be a positive integer (number of items), got ${n}`);
  if (!Number.isInteger(nSplits) || nSplits < minSplits)
    throw evalError('E_INPUT', `nSplits must be an integer ≥ ${minSplits}, got ${nSplits}`);
  if (nSplits > n) throw evalError('E_INPUT', `nSplits=${nSplits} exceeds the number of items n=${n}`);
}

/** Train = every index not in the test mask, ascending (as sklearn's mask-based splitters). */
export function complement(n: number, test: Int32Array): Int32Array {
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const train = new Int32Array(n - test.length);
  let k = 0;
  for (let i = 0; i < n; i++) if (!inTest[i]) train[k++] = i;
  return train;
}

/** Builds the splits from each item's test-fold number (test indices ascending, train = complement). */
export function splitsFromFolds(foldOfItem: Int32Array, nSplits: number): Split[] {
  const n = foldOfItem.length;
  const sizes = new Int32Array(nSplits);
  for (const f of foldOfItem) sizes[f]!++;
  const tests = Array.from(sizes, (s) => new Int32Array(s));
  const fill = new Int32Array(nSplits);
  for (let i = 0; i < n; i++) {
    const f = foldOfItem[i]!;
    tests[f]![fill[f]!++] = i;
  }
  return tests.map((test) => ({ train: complement(n, test), test }));
}

/** Seeded Fisher–Yates permutation of `values` (in place), stream keyed by `keys`. */
export function seededShuffle<T extends { length: number; [i: number]: number }>(
  values: T,
  seed: number,
  ...keys: (string | number)[]
): T {
  const rng = createRandom(seed, 'eval', 'shuffle', ...keys);
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.integer(values.length - 1 - i, i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
