import { mean, parseOptions, variance } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { studentTSf, studentTTwoSided } from '../distributions/student-t.js';
import { evalError, PACKAGE } from '../errors.js';
import { finiteArray, sameLength } from '../validate.js';

export const alternativeSchema = z.enum(['two-sided', 'greater', 'less']).default('two-sided');
export type Alternative = 'two-sided' | 'greater' | 'less';

const tTestOptionsSchema = z.object({ alternative: alternativeSchema, mu: z.number().default(0) }).strict();
export type TTestOptions = z.input<typeof tTestOptionsSchema>;

export interface TTestResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
}

export function tPValue(t: number, df: number, alternative: Alternative): number {
  if (alternative === 'two-sided') return studentTTwoSided(t, df);
  return alternative === 'greater' ? studentTSf(t, df) : studentTSf(-t, df);
}

/** One-sample t-test of mean(x) = mu (scipy `ttest_1samp`). */
export function tTestOneSample(x: ArrayLike<number>, options: TTestOptions = {}): TTestResult {
  const { alternative, mu } = parseOptions(PACKAGE, 'tTestOneSample options', tTestOptionsSchema, options);
  const xs = finiteArray('x', x, 2);
  const s2 = variance(xs, 1);
  if (!(s2 > 0)) throw evalError('E_INPUT', 'x has zero variance; the t statistic is undefined');
  const statistic = (mean(xs) - mu) / Math.sqrt(s2 / xs.length);
  const df = xs.length - 1;
  return { statistic, pValue: tPValue(statistic, df, alternative), df };
}

/** Paired t-test on x − y (scipy `ttest_rel`). */
export function tTestPaired(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions = {},
): TTestResult {
  sameLength('x', x, 'y', y);
  const xs = finiteArray('x', x, 2);
  const ys = finiteArray('y', y, 2);
  return tTestOneSample(
    xs.map((v, i) => v - ys[i]!),
    options,
  );
}

/** Welch's two-sample t-test (scipy `ttest_ind(equal_var=False)`). */
export function tTestWelch(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TTestOptions = {},
): TTestResult {
  const { alternative, mu } = parseOptions(PACKAGE, 'tTestWelch options', tTestOptionsSchema, options);
  const xs = finiteArray('x', x, 2);
  const ys = finiteArray('y', y, 2);
  const vx = variance(xs, 1) / xs.length;
  const vy = variance(ys, 1) / ys.length;
  if (!(vx + vy > 0))
    throw evalError('E_INPUT', 'x and y both have zero variance; the t statistic is undefined');
  const statistic = (mean(xs) - mean(ys) - mu) / Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (xs.length - 1) + vy ** 2 / (ys.length - 1));
  return { statistic, pValue: tPValue(statistic, df, alternative), df };
}
