import { evalError } from '../errors.js';
import type { Split } from './split.js';

export interface CrossValidationResult {
  readonly scores: number[];
  readonly mean: number;
  /** Sample standard deviation (ddof 1) of the fold scores. */
  readonly sd: number;
}

function summarize(scores: number[]): CrossValidationResult {
  const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
  const sd =
    scores.length > 1 ? Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (scores.length - 1)) : 0;
  return { scores, mean, sd };
}

/** Runs `fitScore(train, test, fold)` on every split (sync or async callback) and summarizes the scores. */
export async function crossValidate(
  splits: readonly Split[],
  fitScore: (train: Int32Array, test: Int32Array, fold: number) => number | Promise<number>,
): Promise<CrossValidationResult> {
  if (splits.length === 0)
    throw evalError('E_INPUT', 'no splits given; pass at least one { train, test } split (e.g. from kFold)');
  const scores: number[] = [];
  for (let f = 0; f < splits.length; f++) {
    const score = await fitScore(splits[f]!.train, splits[f]!.test, f);
    if (typeof score !== 'number' || Number.isNaN(score))
      throw evalError('E_INPUT', `fitScore returned ${String(score)} for fold ${f}; expected a number`);
    scores.push(score);
  }
  return summarize(scores);
}

export interface NestedCVResult<P> extends CrossValidationResult {
  /** Candidate chosen by the inner CV in each outer fold. */
  readonly chosen: P[];
  /** Mean inner score of every candidate in each outer fold. */
  readonly innerScores: number[][];
}

/**
 * Nested cross-validation (algorithm selection on small data): in each outer fold, pick the candidate with the
 * best mean inner-CV score on the outer training items, refit it on all of them and score the outer test fold.
 * `innerSplits(count, outerTrain)` returns splits of positions 0..count−1 within the outer training set; the
 * outer training indices let group-aware inner splitters look up each position's group
 * (`(_, train) => groupKFold(Array.from(train, (i) => groups[i]!), 3)`).
 */
export async function nestedCV<P>(options: {
  outer: readonly Split[];
  innerSplits: (count: number, outerTrain: Int32Array) => readonly Split[];
  candidates: readonly P[];
  fitScore: (candidate: P, train: Int32Array, test: Int32Array) => number | Promise<number>;
  greaterIsBetter?: boolean;
}): Promise<NestedCVResult<P>> {
  const { outer, innerSplits, candidates, fitScore, greaterIsBetter = true } = options;
  if (candidates.length === 0)
    throw evalError('E_INPUT', 'candidates is empty; pass at least one parameter setting');
  if (outer.length === 0)
    throw evalError(
      'E_INPUT',
      'no outer splits given; pass at least one { train, test } split (e.g. from kFold)',
    );
  const chosen: P[] = [];
  const innerScores: number[][] = [];
  const scores: number[] = [];
  for (const split of outer) {
    const inner = innerSplits(split.train.length, split.train);
    const means: number[] = [];
    for (const candidate of candidates) {
      const r = await crossValidate(
        inner.map((s) => ({
          train: s.train.map((p) => split.train[p]!),
          test: s.test.map((p) => split.train[p]!),
        })),
        (train, test) => fitScore(candidate, train, test),
      );
      means.push(r.mean);
    }
    let best = 0;
    for (let c = 1; c < means.length; c++)
      if (greaterIsBetter ? means[c]! > means[best]! : means[c]! < means[best]!) best = c;
    chosen.push(candidates[best]!);
    innerScores.push(means);
    scores.push(await fitScore(candidates[best]!, split.train, split.test));
  }
  return { ...summarize(scores), chosen, innerScores };
}
