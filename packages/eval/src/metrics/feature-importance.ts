import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';

export const featureImportanceOptionsSchema = z
  .object({
    rounds: z.number().int().positive().default(1),
    /** Columns shuffled together, e.g. one-hot groups; default one group per column. */
    featureGroups: z.array(z.array(z.number().int().min(0)).min(1)).optional(),
    seed: z.number().int().default(0),
  })
  .strict();
export type FeatureImportanceOptions = z.input<typeof featureImportanceOptionsSchema>;

/**
 * Permutation feature importance (mlxtend `feature_importance_permutation`): baseline metric minus the metric
 * after shuffling a column (or group of columns, rows shuffled jointly), averaged over seeded rounds.
 */
export function featureImportancePermutation(
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  predict: (X: readonly (readonly number[])[]) => ArrayLike<number>,
  metric: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number,
  options: FeatureImportanceOptions = {},
): { mean: number[]; perRound: number[][] } {
  const o = parseOptions(
    PACKAGE,
    'featureImportancePermutation options',
    featureImportanceOptionsSchema,
    options,
  );
  const n = X.length;
  if (n < 2) throw evalError('E_INPUT', `X needs at least 2 rows, got ${n}`);
  if (y.length !== n) throw evalError('E_SHAPE_MISMATCH', `X has ${n} rows but y has ${y.length} labels`);
  const d = X[0]!.length;
  const groups = o.featureGroups ?? Array.from({ length: d }, (_, j) => [j]);
  for (const g of groups)
    for (const j of g)
      if (j >= d) throw evalError('E_INPUT', `featureGroups names column ${j}, but X has ${d} columns`);
  const baseline = metric(y, predict(X));
  const perRound = groups.map(() => new Array<number>(o.rounds).fill(0));
  groups.forEach((group, gi) => {
    for (let r = 0; r < o.rounds; r++) {
      const rng = createRandom(o.seed, 'eval', 'feature-importance', gi, r);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.integer(n - 1 - i, i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const shuffled = X.map((row, i) => {
        const copy = row.slice();
        for (const c of group) copy[c] = X[perm[i]!]![c]!;
        return copy;
      });
      perRound[gi]![r] = baseline - metric(y, predict(shuffled));
    }
  });
  return { mean: perRound.map((v) => v.reduce((s, x) => s + x, 0) / v.length), perRound };
}
