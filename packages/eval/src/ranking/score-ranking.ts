import { createRandom, parseOptions, quantile } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { fitBradleyTerry } from './bradley-terry.js';
import { fitPlackettLuce, rankingsFromScores } from './plackett-luce.js';
import { checkScoreMatrix, type ScoreMatrix, toPairwise } from './to-pairwise.js';

export const scoreRankingOptionsSchema = z
  .object({
    method: z.enum(['plackett-luce', 'bradley-terry']).default('plackett-luce'),
    /** Bootstrap rounds over samples (columns); 0 = no intervals. */
    rounds: z.number().int().min(0).default(200),
    confidence: z.number().gt(0).lt(1).default(0.95),
    seed: z.number().int().default(0),
    /** Regularization of the full-data fit (0 = plain MLE, error if the comparison graph is disconnected). */
    alpha: z.number().min(0).default(0),
    /** Regularization floor of bootstrap refits, so resamples that lose a comparison stay finite. */
    bootstrapAlpha: z.number().min(0).default(1e-3),
    higherIsBetter: z.boolean().default(true),
    tolerance: z.number().positive().default(1e-10),
  })
  .strict();
export type ScoreRankingOptions = z.input<typeof scoreRankingOptionsSchema>;

export interface RankedModel {
  readonly rank: number;
  readonly model: string;
  /** Mean-zero natural-log strength. */
  readonly score: number;
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * ONEBench-style ranking from a sparse model × sample score matrix: Plackett–Luce on per-sample orderings (or
 * Bradley–Terry on the pairwise wins), with seeded bootstrap percentile intervals over samples.
 */
export function scoreRanking(
  scores: ScoreMatrix,
  names: readonly string[],
  options: ScoreRankingOptions = {},
): RankedModel[] {
  const o = parseOptions(PACKAGE, 'scoreRanking options', scoreRankingOptionsSchema, options);
  const m = checkScoreMatrix(scores);
  const n = scores.length;
  if (names.length !== n)
    throw evalError(
      'E_SHAPE_MISMATCH',
      `names has ${names.length} entries for ${n} models; pass one name per score-matrix row`,
    );
  const refit = (matrix: ScoreMatrix, alpha: number): number[] =>
    o.method === 'plackett-luce'
      ? fitPlackettLuce(
          rankingsFromScores(matrix, { higherIsBetter: o.higherIsBetter }),
          n,
          { alpha, tolerance: o.tolerance },
          names,
        ).logStrengths
      : fitBradleyTerry(
          toPairwise(matrix, { higherIsBetter: o.higherIsBetter }),
          { alpha, tolerance: o.tolerance },
          names,
        ).logStrengths;
  const full = refit(scores, o.alpha);
  const samples = Array.from({ length: n }, () => new Float64Array(o.rounds));
  for (let r = 0; r < o.rounds; r++) {
    const rng = createRandom(o.seed, 'eval', 'score-ranking', r);
    const columns = Int32Array.from({ length: m }, (_, j) => rng.integer(j, m));
    const resampled = scores.map((row) => Float64Array.from(columns, (c) => row[c]!));
    const s = refit(resampled, Math.max(o.alpha, o.bootstrapAlpha));
    for (let i = 0; i < n; i++) samples[i]![r] = s[i]!;
  }
  const tail = (1 - o.confidence) / 2;
  const order = full.map((_, i) => i).sort((a, b) => full[b]! - full[a]!);
  return order.map((i, position) => {
    const sorted = samples[i]!.sort();
    return {
      rank: position + 1,
      model: names[i]!,
      score: full[i]!,
      low: o.rounds > 0 ? quantile(sorted, tail) : null,
      high: o.rounds > 0 ? quantile(sorted, 1 - tail) : null,
    };
  });
}
