import { conformalRank } from '../core/conformal-rank.js';
import { countBelow } from '../core/count-below.js';
import { checkAlpha, checkSameLength, finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

/**
 * Cross-conformal classification (Romano, Sesia, Candès 2020, Alg. 2): with out-of-fold true-label scores
 * E_i (point i scored by the model of its fold) and, per fold k, every label's score of each test point
 * under that fold's model, label y enters the set when #{i : E_i < E_{fold(i)}(x, y)} < (1−α)(n+1).
 * `foldTestScores[k][t][y]`; `folds[i]` in 0..K−1.
 */
export function crossConformalClassification(input: {
  calScores: NumericArray;
  folds: NumericArray;
  foldTestScores: readonly (readonly NumericArray[])[];
  alpha: number;
}): { sets: number[][] } {
  checkAlpha(input.alpha);
  checkSameLength({ calScores: input.calScores, folds: input.folds });
  const scores = finiteArray(input.calScores, 'calScores');
  const n = scores.length;
  const K = input.foldTestScores.length;
  const byFold: number[][] = Array.from({ length: K }, () => []);
  for (let i = 0; i < n; i++) {
    const k = input.folds[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= K) {
      throw conformalError('E_INPUT', `folds[${i}] is ${k}; fold indices must be integers in 0..${K - 1}`);
    }
    byFold[k]!.push(scores[i]!);
  }
  const sorted = byFold.map((list) => Float64Array.from(list).sort());
  const m = input.foldTestScores[0]?.length ?? 0;
  const C = input.foldTestScores[0]?.[0]?.length ?? 0;
  const fold = input.foldTestScores.map((rows, k) => {
    if (rows.length !== m)
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `foldTestScores[${k}] has ${rows.length} test points; expected ${m}`,
      );
    return rows.map((row, t) => {
      if (row.length !== C) {
        throw conformalError(
          'E_SHAPE_MISMATCH',
          `foldTestScores[${k}][${t}] has ${row.length} labels; expected ${C}`,
        );
      }
      return finiteArray(row, `foldTestScores[${k}][${t}]`);
    });
  });
  // count < (n+1)(1−α) ⇔ count < ⌈(n+1)(1−α)⌉ for an integer count
  const limit = conformalRank(n, input.alpha);
  const sets: number[][] = [];
  for (let t = 0; t < m; t++) {
    const set: number[] = [];
    for (let y = 0; y < C; y++) {
      let count = 0;
      for (let k = 0; k < K; k++) count += countBelow(sorted[k]!, fold[k]![t]![y]!, false);
      if (count < limit) set.push(y);
    }
    sets.push(set);
  }
  return { sets };
}
