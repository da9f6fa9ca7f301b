import { spearmanCorrelation } from '@modelsmith/core-tensor';
import { studentTTwoSided } from '../distributions/student-t.js';
import { evalError } from '../errors.js';
import { finiteArray, sameLength } from '../validate.js';

/** Spearman's ρ (Pearson on average ranks) with scipy's two-sided t-based p-value (df = n − 2). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): { statistic: number; pValue: number } {
  sameLength('x', x, 'y', y);
  const xs = finiteArray('x', x, 3);
  const ys = finiteArray('y', y, 3);
  const rho = spearmanCorrelation(xs, ys);
  if (Number.isNaN(rho)) throw evalError('E_INPUT', "x or y is constant; Spearman's rho is undefined");
  const n = xs.length;
  if (Math.abs(rho) >= 1) return { statistic: Math.sign(rho), pValue: 0 };
  const t = rho * Math.sqrt((n - 2) / ((1 - rho) * (1 + rho)));
  return { statistic: rho, pValue: studentTTwoSided(t, n - 2) };
}
