import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';

export interface OOBSplit {
  /** n indices drawn with replacement. */
  readonly train: Int32Array;
  /** Indices never drawn (sorted). */
  readonly test: Int32Array;
}

/** Out-of-bag bootstrap splits (mlxtend `BootstrapOutOfBag`), seeded per split. */
export function bootstrapOOBSplits(n: number, splits: number, seed = 0): OOBSplit[] {
  if (!Number.isInteger(n) || n < 2) throw evalError('E_INPUT', `n must be an integer ≥ 2, got ${n}`);
  if (!Number.isInteger(splits) || splits < 1)
    throw evalError('E_INPUT', `splits must be a positive integer, got ${splits}`);
  const out: OOBSplit[] = [];
  for (let s = 0; s < splits; s++) {
    const rng = createRandom(seed, 'eval', 'oob', s);
    const train = new Int32Array(n);
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const j = rng.integer(i, n);
      train[i] = j;
      seen[j] = 1;
    }
    const test: number[] = [];
    for (let i = 0; i < n; i++) if (!seen[i]) test.push(i);
    out.push({ train, test: Int32Array.from(test) });
  }
  return out;
}

/** No-information error rate γ of 0-1 loss: mean over all pairs (i, j) of 1{y_i ≠ ŷ_j}. */
export function noInformationError(
  yTrue: ArrayLike<number | string>,
  yPred: ArrayLike<number | string>,
): number {
  const p = new Map<number | string, number>();
  const q = new Map<number | string, number>();
  for (let i = 0; i < yTrue.length; i++) p.set(yTrue[i]!, (p.get(yTrue[i]!) ?? 0) + 1 / yTrue.length);
  for (let i = 0; i < yPred.length; i++) q.set(yPred[i]!, (q.get(yPred[i]!) ?? 0) + 1 / yPred.length);
  let agree = 0;
  for (const [label, pk] of p) agree += pk * (q.get(label) ?? 0);
  return 1 - agree;
}

export const point632OptionsSchema = z
  .object({
    method: z.enum(['.632', '.632+', 'oob']).default('.632'),
    /** 'mlxtend' applies the .632+ formula as is; 'efron' clips err_test to γ and R to [0, 1] (Efron–Tibshirani 1997). */
    mode: z.enum(['mlxtend', 'efron']).default('mlxtend'),
  })
  .strict();
export type Point632Options = z.input<typeof point632OptionsSchema>;

/** The .632 / .632+ / OOB combination of one split's errors. `noInformation` (γ) is needed for .632+. */
export function point632Error(
  errTest: number,
  errTrain: number,
  noInformation: number | undefined,
  options: Point632Options = {},
): number {
  const { method, mode } = parseOptions(PACKAGE, 'point632 options', point632OptionsSchema, options);
  if (method === 'oob') return errTest;
  if (method === '.632') return 0.632 * errTest + 0.368 * errTrain;
  if (noInformation === undefined)
    throw evalError('E_INPUT', "method '.632+' needs the no-information error γ");
  let test = errTest;
  let R = (errTest - errTrain) / (noInformation - errTrain);
  if (mode === 'efron') {
    test = Math.min(errTest, noInformation);
    R =
      test > errTrain && noInformation > errTrain
        ? Math.min(1, Math.max(0, (test - errTrain) / (noInformation - errTrain)))
        : 0;
  }
  const w = 0.632 / (1 - 0.368 * R);
  return w * test + (1 - w) * errTrain;
}

export interface Point632SplitErrors {
  readonly testError: number;
  /** Resubstitution error of the model fitted on `train`, evaluated on all data. */
  readonly trainError: number;
  readonly noInformationError?: number;
}

/**
 * Bootstrap .632 / .632+ / OOB error estimate (mlxtend `bootstrap_point632_score`, on errors): `evaluate`
 * fits on the split's train indices and reports its errors; returns the mean and per-split estimates.
 */
export function bootstrapPoint632(
  n: number,
  evaluate: (split: OOBSplit) => Point632SplitErrors,
  options: Point632Options & { splits?: number; seed?: number } = {},
): { error: number; perSplit: Float64Array } {
  const { splits = 200, seed = 0, ...rest } = options;
  const all = bootstrapOOBSplits(n, splits, seed);
  const perSplit = new Float64Array(all.length);
  all.forEach((split, s) => {
    if (split.test.length === 0)
      throw evalError('E_INPUT', `bootstrap split ${s} has no out-of-bag items; use more data`);
    const e = evaluate(split);
    perSplit[s] = point632Error(e.testError, e.trainError, e.noInformationError, rest);
  });
  return { error: perSplit.reduce((s, v) => s + v, 0) / perSplit.length, perSplit };
}
