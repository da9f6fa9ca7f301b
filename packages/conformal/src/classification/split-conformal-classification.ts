import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { uniformSource } from '../core/conformal-p-values.js';
import { conformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import {
  alphaSchema,
  checkSameLength,
  labelArray,
  type NumericArray,
  type ProbabilityMatrix,
  probabilityMatrix,
} from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { rankLabels, rowScores, type ScoreParameters } from './class-scores.js';

const scoreFields = {
  /** `lac` 1−π_y, `aps`, `raps`, `topk` (rank of y), `saps` (sorted APS, uses `lambda`). Default `lac`. */
  score: z.enum(['lac', 'aps', 'raps', 'topk', 'saps']).default('lac'),
  /** APS/RAPS: U ~ U(0,1) per point for tie-breaking (smoothed scores, exact coverage). Default false. */
  randomized: z.boolean().default(false),
  /** Seed for the U draws (randomized only). */
  seed: z.number().int().safe().default(0),
  /** A fixed U for every point (reproducing a reference computation). */
  u: z.number().min(0).max(1).optional(),
  /** RAPS / SAPS rank penalty weight λ ≥ 0. Default 0.01. */
  lambda: z.number().min(0).finite().default(0.01),
  /** RAPS: ranks above k_reg are penalized. Default 1. */
  kReg: z.number().int().min(0).default(1),
};

export const classScoresSchema = z.object(scoreFields).strict();
export type ClassScoreOptions = z.input<typeof classScoresSchema>;

type ResolvedScoreOptions = z.output<typeof classScoresSchema>;

function scoreParams(opts: ResolvedScoreOptions): ScoreParameters {
  return { score: opts.score, lambda: opts.lambda, kReg: opts.kReg };
}

function drawer(opts: ResolvedScoreOptions, key: string): (i: number) => number {
  if (!opts.randomized || opts.score === 'lac' || opts.score === 'topk') return () => 1;
  return uniformSource(opts, key);
}

/** Internal: true-label scores of validated inputs. */
export function trueLabelScores(
  probs: ProbabilityMatrix,
  labels: Int32Array,
  params: ScoreParameters,
  u: (i: number) => number,
): Float64Array {
  const k = probs.numClasses;
  const order = new Int32Array(k);
  const all = new Float64Array(k);
  const out = new Float64Array(probs.n);
  for (let i = 0; i < probs.n; i++) {
    rowScores(probs.data, i, k, params, u(i), order, all);
    out[i] = all[labels[i]!]!;
  }
  return out;
}

/**
 * Nonconformity scores of the true labels. Rows are probability vectors (validated: finite, ≥ 0, sum
 * to 1 within 1e-6). Randomized APS/RAPS draw U_i from `createRandom(seed, 'conformal', 'cal')`.
 */
export function classificationScores(
  probabilities: readonly NumericArray[],
  labels: NumericArray,
  options: ClassScoreOptions = {},
): Float64Array {
  const opts = parseOptions(PACKAGE_NAME, 'options', classScoresSchema, options);
  const probs = probabilityMatrix(probabilities, 'probabilities');
  checkSameLength({ probabilities, labels });
  const y = labelArray(labels, probs.numClasses, 'labels');
  return trueLabelScores(probs, y, scoreParams(opts), drawer(opts, 'cal'));
}

/** How the label that crosses q̂ is treated by APS/RAPS sets when not randomized. */
export type LastLabelRule = 'include' | 'exclude';

/**
 * Internal: the prediction set of row i. Non-randomized APS/RAPS with `include` add the first label
 * (in rank order) whose score reaches q̂ (MAPIE's `include_last_label=True`); otherwise the set is
 * exactly {y : s(x, y; U) ≤ q̂}, consistent with the calibration scores.
 */
export function predictSet(
  probs: ProbabilityMatrix,
  i: number,
  thresholds: (label: number) => number,
  params: ScoreParameters,
  u: number,
  includeLast: boolean,
  order: Int32Array,
  scratch: Float64Array,
): number[] {
  const k = probs.numClasses;
  rowScores(probs.data, i, k, params, u, order, scratch);
  const set: number[] = [];
  if (includeLast && (params.score === 'aps' || params.score === 'raps' || params.score === 'saps')) {
    rankLabels(probs.data, i * k, k, order);
    for (let r = 0; r < k; r++) {
      const label = order[r]!;
      set.push(label);
      if (scratch[label]! >= thresholds(label)) break;
    }
    return set.sort((a, b) => a - b);
  }
  for (let c = 0; c < k; c++) if (scratch[c]! <= thresholds(c)) set.push(c);
  return set;
}

export const splitConformalClassificationSchema = z
  .object({
    calProbabilities: z.array(z.any()),
    calLabels: z.custom<NumericArray>((v) => v !== null && typeof v === 'object'),
    testProbabilities: z.array(z.any()),
    alpha: alphaSchema,
    ...scoreFields,
    /** Non-randomized APS/RAPS: add the label that crosses q̂ (`include`, MAPIE default) or not. */
    lastLabel: z.enum(['include', 'exclude']).default('include'),
    /** Calibrate one threshold per true class (class-conditional / Mondrian by label). */
    classConditional: z.boolean().default(false),
    /** Mondrian by arbitrary group: a group per calibration point and per test point (not with classConditional). */
    calGroups: z.array(z.union([z.string(), z.number()])).optional(),
    testGroups: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .strict();
export type SplitConformalClassificationOptions = z.input<typeof splitConformalClassificationSchema>;

export interface SplitConformalClassificationResult {
  /** Calibration scores of the true labels. */
  readonly scores: Float64Array;
  /** Rank k = ⌈(n+1)(1−α)⌉ (marginal), or one per class (class-conditional) or per group (`groups` order). */
  readonly k: number | number[];
  /** q̂, or one q̂ per class / group (+∞ when a class or group has too few calibration points). */
  readonly threshold: number | number[];
  /** Mondrian by group: the distinct calibration groups, in the order of `k` and `threshold`. */
  readonly groups?: (string | number)[];
  /** Prediction sets as sorted label lists. */
  readonly sets: number[][];
}

/**
 * Split conformal classification (LAC, top-k, APS, RAPS, randomized or not; marginal or
 * class-conditional). Randomized draws: calibration `createRandom(seed,'conformal','cal')`, test
 * `createRandom(seed,'conformal','test')`.
 */
export function splitConformalClassification(
  options: SplitConformalClassificationOptions,
): SplitConformalClassificationResult {
  const opts = parseOptions(PACKAGE_NAME, 'options', splitConformalClassificationSchema, options);
  const cal = probabilityMatrix(opts.calProbabilities, 'calProbabilities');
  checkSameLength({ calProbabilities: opts.calProbabilities, calLabels: opts.calLabels });
  const test = probabilityMatrix(opts.testProbabilities, 'testProbabilities', cal.numClasses);
  const labels = labelArray(opts.calLabels, cal.numClasses, 'calLabels');
  const params = scoreParams(opts);
  const scores = trueLabelScores(cal, labels, params, drawer(opts, 'cal'));
  const randomized =
    opts.randomized && (opts.score === 'aps' || opts.score === 'raps' || opts.score === 'saps');
  const includeLast = !randomized && opts.lastLabel === 'include' && !opts.classConditional;
  let k: number | number[];
  let threshold: number | number[];
  let thresholdOf: (label: number) => number;
  let groups: (string | number)[] | undefined;
  let testThreshold: ((j: number) => number) | undefined;
  if (opts.calGroups || opts.testGroups) {
    if (!opts.calGroups || !opts.testGroups) {
      throw conformalError('E_INPUT', 'Mondrian calibration needs both calGroups and testGroups');
    }
    if (opts.classConditional)
      throw conformalError('E_INPUT', 'use either classConditional or calGroups/testGroups, not both');
    checkSameLength({ calProbabilities: opts.calProbabilities, calGroups: opts.calGroups });
    checkSameLength({ testProbabilities: opts.testProbabilities, testGroups: opts.testGroups });
    const byGroup = new Map<string | number, number[]>();
    opts.calGroups.forEach((g, i) => {
      const list = byGroup.get(g) ?? [];
      list.push(scores[i]!);
      byGroup.set(g, list);
    });
    groups = [...byGroup.keys()];
    const ks = groups.map((g) => conformalRank(byGroup.get(g)!.length, opts.alpha));
    const qs = groups.map((g, gi) => orderStatistic(Float64Array.from(byGroup.get(g)!), ks[gi]!));
    const qOf = new Map(groups.map((g, gi) => [g, qs[gi]!]));
    const testGroups = opts.testGroups;
    // a test group never seen in calibration has no data: the full label set (q̂ = +∞)
    testThreshold = (j) => qOf.get(testGroups[j]!) ?? Number.POSITIVE_INFINITY;
    k = ks;
    threshold = qs;
    thresholdOf = () => Number.NaN;
  } else if (opts.classConditional) {
    const byClass: number[][] = Array.from({ length: cal.numClasses }, () => []);
    for (let i = 0; i < cal.n; i++) byClass[labels[i]!]!.push(scores[i]!);
    const ks = byClass.map((group) => conformalRank(group.length, opts.alpha));
    const qs = byClass.map((group, c) => orderStatistic(Float64Array.from(group), ks[c]!));
    k = ks;
    threshold = qs;
    thresholdOf = (label) => qs[label]!;
  } else {
    if (cal.n === 0)
      throw conformalError('E_INPUT', 'calProbabilities is empty; calibration needs at least one point');
    const kk = conformalRank(cal.n, opts.alpha);
    const q = orderStatistic(Float64Array.from(scores), kk);
    k = kk;
    threshold = q;
    thresholdOf = () => q;
  }
  const u = drawer(opts, 'test');
  const order = new Int32Array(test.numClasses);
  const scratch = new Float64Array(test.numClasses);
  const sets: number[][] = [];
  for (let j = 0; j < test.n; j++) {
    const q = testThreshold?.(j);
    const of = q === undefined ? thresholdOf : () => q;
    sets.push(predictSet(test, j, of, params, u(j), includeLast, order, scratch));
  }
  return groups ? { scores, k, threshold, sets, groups } : { scores, k, threshold, sets };
}

/**
 * Scores of every label for each probability row (`out[i][y]`), e.g. for cross-conformal classification
 * or custom set rules. Randomized APS/RAPS use one U per row from `createRandom(seed,'conformal','test')`.
 */
export function allLabelScores(
  probabilities: readonly NumericArray[],
  options: ClassScoreOptions = {},
): Float64Array[] {
  const opts = parseOptions(PACKAGE_NAME, 'options', classScoresSchema, options);
  const probs = probabilityMatrix(probabilities, 'probabilities');
  const u = drawer(opts, 'test');
  const order = new Int32Array(probs.numClasses);
  return Array.from({ length: probs.n }, (_, i) => {
    const out = new Float64Array(probs.numClasses);
    rowScores(probs.data, i, probs.numClasses, scoreParams(opts), u(i), order, out);
    return out;
  });
}
