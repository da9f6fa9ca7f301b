import { fSf } from '../distributions/f-dist.js';
import { evalError } from '../errors.js';
import { correctnessMatrix } from './correctness-matrix.js';

export interface LooneyFResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df1: number;
  /** (M−1)·n as in mlxtend (its MSAB divides by (M−1)(n−1); the quirk is kept for parity). */
  readonly df2: number;
}

/** Looney's F-test for M ≥ 2 classifiers on one test set (mlxtend `ftest`). */
export function looneyF(
  yTarget: ArrayLike<number | string | boolean>,
  models: readonly ArrayLike<number | string | boolean>[],
): LooneyFResult {
  const correct = correctnessMatrix(yTarget, models, 2);
  const M = correct.length;
  const n = yTarget.length;
  const acc = correct.map((row) => row.reduce((s, v) => s + v, 0) / n);
  const accAvg = acc.reduce((s, v) => s + v, 0) / M;
  const ssa = n * acc.reduce((s, v) => s + v * v, 0) - n * M * accAvg * accAvg;
  let sumMj2 = 0;
  for (let i = 0; i < n; i++) {
    let mj = 0;
    for (const row of correct) mj += row[i]!;
    sumMj2 += mj * mj;
  }
  const ssb = sumMj2 / M - M * n * accAvg * accAvg;
  const sst = M * n * accAvg * (1 - accAvg);
  const ssab = sst - ssa - ssb;
  const msa = ssa / (M - 1);
  const msab = ssab / ((M - 1) * (n - 1));
  if (!(msab > 0))
    throw evalError('E_INPUT', "Looney's F is undefined: no within-item disagreement between models");
  const statistic = msa / msab;
  const df1 = M - 1;
  const df2 = (M - 1) * n;
  return { statistic, pValue: fSf(statistic, df1, df2), df1, df2 };
}
