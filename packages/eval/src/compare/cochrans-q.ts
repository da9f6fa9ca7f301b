import { chiSquareSf } from '../distributions/chi-square.js';
import { evalError } from '../errors.js';
import { correctnessMatrix } from './correctness-matrix.js';

export interface CochransQResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
}

/** Cochran's Q omnibus test for L ≥ 2 classifiers on one test set (mlxtend `cochrans_q`). */
export function cochransQ(
  yTarget: ArrayLike<number | string | boolean>,
  models: readonly ArrayLike<number | string | boolean>[],
): CochransQResult {
  const correct = correctnessMatrix(yTarget, models, 2);
  const L = correct.length;
  const n = yTarget.length;
  let sumG2 = 0;
  let T = 0;
  for (const row of correct) {
    let g = 0;
    for (let i = 0; i < n; i++) g += row[i]!;
    sumG2 += g * g;
    T += g;
  }
  let sumL2 = 0;
  for (let i = 0; i < n; i++) {
    let l = 0;
    for (const row of correct) l += row[i]!;
    sumL2 += l * l;
  }
  const denominator = L * T - sumL2;
  if (denominator === 0) {
    throw evalError('E_INPUT', "Cochran's Q is undefined: every item is solved by all models or by none");
  }
  const statistic = ((L - 1) * (L * sumG2 - T * T)) / denominator;
  return { statistic, pValue: chiSquareSf(statistic, L - 1), df: L - 1 };
}
