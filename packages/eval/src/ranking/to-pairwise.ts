import { evalError } from '../errors.js';

/** A model × sample score matrix; NaN marks a missing measurement. */
export type ScoreMatrix = readonly ArrayLike<number>[];

/** Checks a score matrix (rows = models, equal lengths, numbers or NaN) and returns its sample count. */
export function checkScoreMatrix(scores: ScoreMatrix): number {
  if (!Array.isArray(scores) || scores.length < 2)
    throw evalError('E_INPUT', `scores needs at least 2 models (rows), got ${scores?.length ?? 0}`);
  const m = scores[0]!.length;
  scores.forEach((row, i) => {
    if (row.length !== m)
      throw evalError(
        'E_SHAPE_MISMATCH',
        `scores[${i}] has ${row.length} samples, scores[0] has ${m}; use NaN for missing`,
      );
    for (let j = 0; j < m; j++) {
      const v = row[j]!;
      if (typeof v !== 'number' || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        throw evalError(
          'E_INPUT',
          `scores[${i}][${j}] must be a finite number or NaN (missing), got ${String(v)}`,
        );
      }
    }
  });
  return m;
}

/**
 * ONEBench `toPairwise`: per sample, every pair of measured models with a strict score difference is a win
 * for the higher score; ties add a win in both directions. Returns wins[i][j] = times i beat j.
 */
export function toPairwise(scores: ScoreMatrix, options: { higherIsBetter?: boolean } = {}): number[][] {
  const m = checkScoreMatrix(scores);
  const n = scores.length;
  const sign = options.higherIsBetter === false ? -1 : 1;
  const wins = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let s = 0; s < m; s++) {
    for (let i = 0; i < n; i++) {
      const a = scores[i]![s]!;
      if (Number.isNaN(a)) continue;
      for (let j = i + 1; j < n; j++) {
        const b = scores[j]![s]!;
        if (Number.isNaN(b)) continue;
        const d = sign * (a - b);
        if (d >= 0) wins[i]![j]!++;
        if (d <= 0) wins[j]![i]!++;
      }
    }
  }
  return wins;
}

/** Mean of each row ignoring NaN (the ONEBench reference ranking on complete data). */
export function meanScores(scores: ScoreMatrix): number[] {
  checkScoreMatrix(scores);
  return scores.map((row) => {
    let s = 0;
    let c = 0;
    for (let j = 0; j < row.length; j++) {
      if (!Number.isNaN(row[j]!)) {
        s += row[j]!;
        c++;
      }
    }
    return c > 0 ? s / c : Number.NaN;
  });
}
