import { averageRanks } from '@modelsmith/core-tensor';
import { chiSquareSf } from '../distributions/chi-square.js';
import { evalError } from '../errors.js';
import { tieGroups } from '../stats-utils.js';
import { finiteArray } from '../validate.js';

export interface FriedmanResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly df: number;
  /** Mean within-block rank of each sample (1 = smallest value, as in scipy). */
  readonly meanRanks: number[];
  readonly blocks: number;
}

/** Checks k samples × n blocks and returns them as Float64Arrays. */
export function blockMatrix(samples: readonly ArrayLike<number>[], minSamples: number): Float64Array[] {
  if (!Array.isArray(samples) || samples.length < minSamples) {
    throw evalError(
      'E_INPUT',
      `needs at least ${minSamples} samples (one per model), got ${samples?.length ?? 0}`,
    );
  }
  const rows = samples.map((s, i) => finiteArray(`samples[${i}]`, s, 1));
  const n = rows[0]!.length;
  rows.forEach((r, i) => {
    if (r.length !== n) {
      throw evalError(
        'E_SHAPE_MISMATCH',
        `samples[${i}] has ${r.length} blocks but samples[0] has ${n}; every model needs one score per dataset`,
      );
    }
  });
  return rows;
}

/** Within-block average ranks: result[j][b] is the rank of sample j in block b. */
export function blockRanks(rows: readonly Float64Array[]): { ranks: Float64Array[]; tieTerm: number } {
  const k = rows.length;
  const n = rows[0]!.length;
  const ranks = rows.map(() => new Float64Array(n));
  let tieTerm = 0;
  const block = new Float64Array(k);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < k; j++) block[j] = rows[j]![b]!;
    const r = averageRanks(block);
    for (let j = 0; j < k; j++) ranks[j]![b] = r[j]!;
    for (const t of tieGroups(block)) tieTerm += t * t * t - t;
  }
  return { ranks, tieTerm };
}

/** Friedman test for k ≥ 3 related samples over n blocks (scipy `friedmanchisquare`, with tie correction). */
export function friedman(samples: readonly ArrayLike<number>[]): FriedmanResult {
  const rows = blockMatrix(samples, 3);
  const k = rows.length;
  const n = rows[0]!.length;
  const { ranks, tieTerm } = blockRanks(rows);
  const rankSums = ranks.map((r) => r.reduce((s, v) => s + v, 0));
  const ssbn = rankSums.reduce((s, v) => s + v * v, 0);
  const c = 1 - tieTerm / (k * (k * k - 1) * n);
  if (!(c > 0)) throw evalError('E_INPUT', 'every block is fully tied; the Friedman statistic is undefined');
  const statistic = ((12 / (k * n * (k + 1))) * ssbn - 3 * n * (k + 1)) / c;
  return {
    statistic,
    pValue: chiSquareSf(statistic, k - 1),
    df: k - 1,
    meanRanks: rankSums.map((s) => s / n),
    blocks: n,
  };
}
