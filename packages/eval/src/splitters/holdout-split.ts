import { evalError } from '../errors.js';
import { complement, type Split, seededShuffle } from './split.js';

/** mlxtend `PredefinedHoldoutSplit`: the given validation indices, the rest for training. */
export function predefinedHoldoutSplit(n: number, validIndices: ArrayLike<number>): Split {
  const seen = new Set<number>();
  for (let k = 0; k < validIndices.length; k++) {
    const i = validIndices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw evalError('E_INPUT', `validIndices[${k}] = ${i} is outside 0..${n - 1}`);
    if (seen.has(i))
      throw evalError('E_INPUT', `validIndices lists ${i} twice; list each index at most once`);
    seen.add(i);
  }
  const test = Int32Array.from(validIndices).sort();
  return { train: complement(n, test), test };
}

/**
 * mlxtend `RandomHoldoutSplit`: a seeded random validation set of round(validSize·n) items (or validSize items
 * when ≥ 1); with `stratify`, each class contributes the same fraction (rounded per class).
 */
export function randomHoldoutSplit(
  n: number,
  options: { validSize?: number; seed?: number; stratify?: ArrayLike<number | string> } = {},
): Split {
  const { validSize = 0.5, seed = 0, stratify } = options;
  if (!Number.isInteger(n) || n < 2) throw evalError('E_INPUT', `n must be an integer ≥ 2, got ${n}`);
  if (!(validSize > 0) || (validSize >= 1 && (!Number.isInteger(validSize) || validSize >= n))) {
    throw evalError(
      'E_INPUT',
      `validSize must be a fraction in (0, 1) or a count in 1..n−1, got ${validSize}`,
    );
  }
  const fraction = validSize < 1 ? validSize : validSize / n;
  const chosen: number[] = [];
  if (stratify) {
    if (stratify.length !== n)
      throw evalError('E_SHAPE_MISMATCH', `stratify has ${stratify.length} labels for n=${n}`);
    const byClass = new Map<number | string, number[]>();
    for (let i = 0; i < n; i++) byClass.set(stratify[i]!, [...(byClass.get(stratify[i]!) ?? []), i]);
    let c = 0;
    for (const members of byClass.values()) {
      const perm = seededShuffle(Int32Array.from(members), seed, 'holdout', c++);
      chosen.push(...perm.slice(0, Math.round(fraction * members.length)));
    }
  } else {
    const perm = seededShuffle(
      Int32Array.from({ length: n }, (_, i) => i),
      seed,
      'holdout',
    );
    chosen.push(...perm.slice(0, Math.round(fraction * n)));
  }
  const test = Int32Array.from(chosen).sort();
  return { train: complement(n, test), test };
}
