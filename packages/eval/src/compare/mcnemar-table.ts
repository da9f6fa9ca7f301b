import { evalError } from '../errors.js';
import { sameLength } from '../validate.js';

/** A 2×2 contingency table [[a, b], [c, d]] (see `mcnemarTable`). */
export type McNemarTable = readonly [readonly [number, number], readonly [number, number]];

type Labels = ArrayLike<number | string | boolean>;

/**
 * mlxtend `mcnemar_table`: a = both correct, b = model 1 right & model 2 wrong, c = model 2 right &
 * model 1 wrong, d = both wrong. Labels may be multiclass; only correctness matters.
 */
export function mcnemarTable(yTarget: Labels, yModel1: Labels, yModel2: Labels): McNemarTable {
  sameLength('yTarget', yTarget, 'yModel1', yModel1);
  sameLength('yTarget', yTarget, 'yModel2', yModel2);
  if (yTarget.length === 0) throw evalError('E_INPUT', 'yTarget is empty; pass at least one label');
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < yTarget.length; i++) {
    const r1 = yModel1[i] === yTarget[i];
    const r2 = yModel2[i] === yTarget[i];
    if (r1 && r2) a++;
    else if (r1) b++;
    else if (r2) c++;
    else d++;
  }
  return [
    [a, b],
    [c, d],
  ];
}

/** mlxtend `mcnemar_tables`: one table per model pair, keyed `"model_i vs model_j"` (0-based, i < j). */
export function mcnemarTables(yTarget: Labels, models: readonly Labels[]): Record<string, McNemarTable> {
  if (models.length < 2)
    throw evalError('E_INPUT', `mcnemarTables needs at least 2 models, got ${models.length}`);
  const out: Record<string, McNemarTable> = {};
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      out[`model_${i} vs model_${j}`] = mcnemarTable(yTarget, models[i]!, models[j]!);
    }
  }
  return out;
}
