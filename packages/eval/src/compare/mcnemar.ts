import { binomialCdf, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { chiSquareSf } from '../distributions/chi-square.js';
import { evalError, PACKAGE } from '../errors.js';
import type { McNemarTable } from './mcnemar-table.js';

export const mcnemarOptionsSchema = z
  .object({
    /** Edwards continuity correction (|b−c|−1)²/(b+c); the mlxtend default. HF `evaluate` uses false. */
    corrected: z.boolean().default(true),
    /** Exact two-sided binomial test on the discordant pairs; `statistic` is then null. */
    exact: z.boolean().default(false),
  })
  .strict();
export type McNemarOptions = z.input<typeof mcnemarOptionsSchema>;

export interface McNemarResult {
  /** χ² statistic, or null for the exact test. */
  readonly statistic: number | null;
  readonly pValue: number;
  /** b + c < 25: the χ² approximation is poor, prefer `exact: true`. */
  readonly exactRecommended: boolean;
}

/** McNemar's test on a 2×2 table [[a, b], [c, d]] (mlxtend `mcnemar`). */
export function mcnemar(table: McNemarTable, options: McNemarOptions = {}): McNemarResult {
  const { corrected, exact } = parseOptions(PACKAGE, 'mcnemar options', mcnemarOptionsSchema, options);
  const cells = [table?.[0]?.[0], table?.[0]?.[1], table?.[1]?.[0], table?.[1]?.[1]];
  if (cells.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
    throw evalError('E_INPUT', 'table must be [[a, b], [c, d]] with non-negative integer counts');
  }
  const b = cells[1]!;
  const c = cells[2]!;
  const n = b + c;
  const exactRecommended = n < 25;
  if (exact) {
    const pValue = n === 0 ? 1 : Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
    return { statistic: null, pValue, exactRecommended };
  }
  if (n === 0)
    throw evalError(
      'E_INPUT',
      'table has no discordant pairs (b + c = 0); the χ² statistic is undefined, use exact: true',
    );
  const diff = corrected ? Math.abs(b - c) - 1 : b - c;
  const statistic = (diff * diff) / n;
  return { statistic, pValue: chiSquareSf(statistic, 1), exactRecommended };
}
