import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE } from '../errors.js';
import { blockMatrix, blockRanks } from './friedman.js';
import { studentizedRangeCdf, studentizedRangeQuantile } from './studentized-range.js';

export const nemenyiOptionsSchema = z
  .object({
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Rank 1 goes to the highest score (Demšar's convention for accuracies). */
    higherIsBetter: z.boolean().default(true),
  })
  .strict();
export type NemenyiOptions = z.input<typeof nemenyiOptionsSchema>;

export interface NemenyiResult {
  readonly meanRanks: number[];
  /** Critical difference q_α·√(k(k+1)/(6N)) (Demšar 2006). */
  readonly criticalDifference: number;
  /** pValues[i][j]: Nemenyi post-hoc p-value for samples i and j (1 on the diagonal). */
  readonly pValues: number[][];
}

/** Nemenyi post-hoc test after Friedman, with the critical difference for CD diagrams. */
export function nemenyi(samples: readonly ArrayLike<number>[], options: NemenyiOptions = {}): NemenyiResult {
  const { alpha, higherIsBetter } = parseOptions(PACKAGE, 'nemenyi options', nemenyiOptionsSchema, options);
  const rows = blockMatrix(samples, 2).map((r) => (higherIsBetter ? r.map((v) => -v) : r));
  const k = rows.length;
  const n = rows[0]!.length;
  const { ranks } = blockRanks(rows);
  const meanRanks = ranks.map((r) => r.reduce((s, v) => s + v, 0) / n);
  const se = Math.sqrt((k * (k + 1)) / (6 * n));
  const criticalDifference = (studentizedRangeQuantile(1 - alpha, k) / Math.SQRT2) * se;
  const pValues = meanRanks.map((ri, i) =>
    meanRanks.map((rj, j) =>
      i === j ? 1 : 1 - studentizedRangeCdf((Math.abs(ri - rj) / se) * Math.SQRT2, k),
    ),
  );
  return { meanRanks, criticalDifference, pValues };
}
