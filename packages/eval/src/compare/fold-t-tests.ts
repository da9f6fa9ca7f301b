import { mean, parseOptions, variance } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { fSf } from '../distributions/f-dist.js';
import { studentTTwoSided } from '../distributions/student-t.js';
import { evalError, PACKAGE } from '../errors.js';
import { finiteArray } from '../validate.js';

export interface FoldTestResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
}

function oneSampleT(d: Float64Array, varianceScale: number): FoldTestResult {
  const k = d.length;
  const s2 = variance(d, 1);
  if (!(s2 > 0))
    throw evalError('E_INPUT', 'score differences have zero variance; the t statistic is undefined');
  const statistic = mean(d) / Math.sqrt(varianceScale * s2);
  return { statistic, pValue: studentTTwoSided(statistic, k - 1), df: k - 1 };
}

/**
 * k-fold CV paired t-test (mlxtend `paired_ttest_kfold_cv`) on per-fold differences d = score₁ − score₂:
 * t = mean(d)·√K / sd(d), two-sided p from t_{K−1}.
 */
export function pairedTTestKFold(differences: ArrayLike<number>): FoldTestResult {
  const d = finiteArray('differences', differences, 2);
  return oneSampleT(d, 1 / d.length);
}

export const resampledTTestOptionsSchema = z
  .object({
    /** Nadeau–Bengio corrected variance (1/J + nTest/nTrain)·s²; without it the test is the uncorrected one. */
    nadeauBengio: z
      .object({ nTrain: z.number().positive(), nTest: z.number().positive() })
      .strict()
      .optional(),
  })
  .strict();
export type ResampledTTestOptions = z.input<typeof resampledTTestOptionsSchema>;

/**
 * Resampled paired t-test (mlxtend `paired_ttest_resampled`, uncorrected, inflated Type-I error per
 * Dietterich 1998) or, with `nadeauBengio`, the corrected resampled t-test.
 */
export function pairedTTestResampled(
  differences: ArrayLike<number>,
  options: ResampledTTestOptions = {},
): FoldTestResult {
  const { nadeauBengio } = parseOptions(
    PACKAGE,
    'pairedTTestResampled options',
    resampledTTestOptionsSchema,
    options,
  );
  const d = finiteArray('differences', differences, 2);
  const scale = nadeauBengio ? 1 / d.length + nadeauBengio.nTest / nadeauBengio.nTrain : 1 / d.length;
  return oneSampleT(d, scale);
}

function fiveByTwo(differences: readonly ArrayLike<number>[]): { d: Float64Array[]; sumS2: number } {
  if (!Array.isArray(differences) || differences.length !== 5) {
    throw evalError(
      'E_INPUT',
      `differences must be 5 rows (repetitions) of 2 fold differences, got ${differences?.length} rows`,
    );
  }
  const d = differences.map((row, i) => {
    const r = finiteArray(`differences[${i}]`, row, 2);
    if (r.length !== 2)
      throw evalError('E_INPUT', `differences[${i}] must have exactly 2 entries, got ${r.length}`);
    return r;
  });
  let sumS2 = 0;
  for (const r of d) {
    const m = (r[0]! + r[1]!) / 2;
    sumS2 += (r[0]! - m) ** 2 + (r[1]! - m) ** 2;
  }
  if (!(sumS2 > 0))
    throw evalError('E_INPUT', 'all within-repetition variances are zero; the 5×2cv statistic is undefined');
  return { d, sumS2 };
}

/** Dietterich's 5×2cv paired t-test: t = d₁⁽¹⁾ / √(Σs_i²/5), p from t₅ (mlxtend `paired_ttest_5x2cv`). */
export function pairedTTest5x2cv(differences: readonly ArrayLike<number>[]): FoldTestResult {
  const { d, sumS2 } = fiveByTwo(differences);
  const statistic = d[0]![0]! / Math.sqrt(sumS2 / 5);
  return { statistic, pValue: studentTTwoSided(statistic, 5), df: 5 };
}

/** Alpaydin's combined 5×2cv F-test: f = ΣΣ d² / (2Σs_i²), p from F(10, 5). */
export function combinedFTest5x2cv(
  differences: readonly ArrayLike<number>[],
): FoldTestResult & { df2: number } {
  const { d, sumS2 } = fiveByTwo(differences);
  let sumD2 = 0;
  for (const r of d) sumD2 += r[0]! * r[0]! + r[1]! * r[1]!;
  const statistic = sumD2 / (2 * sumS2);
  return { statistic, pValue: fSf(statistic, 10, 5), df: 10, df2: 5 };
}
