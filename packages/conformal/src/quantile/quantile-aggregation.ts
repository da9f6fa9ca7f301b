import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import { checkSameLength, finiteArray, type NumericArray, numericArraySchema } from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { pinballLoss } from './interval-scores.js';
import { isotonicFit } from './non-crossing.js';

/** predictions[k][i][l]: model k's τ_l-quantile for point i. */
export type QuantilePredictions = readonly (readonly NumericArray[])[];

interface Cube {
  readonly K: number;
  readonly n: number;
  readonly L: number;
  /** data[(k·n + i)·L + l] */
  readonly data: Float64Array;
}

function toCube(predictions: QuantilePredictions, L: number): Cube {
  const K = predictions.length;
  if (K === 0) throw conformalError('E_INPUT', 'predictions needs at least one model');
  const n = predictions[0]!.length;
  const data = new Float64Array(K * n * L);
  predictions.forEach((model, k) => {
    if (model.length !== n)
      throw conformalError('E_SHAPE_MISMATCH', `predictions[${k}] has ${model.length} points; expected ${n}`);
    model.forEach((row, i) => {
      if (row.length !== L) {
        throw conformalError(
          'E_SHAPE_MISMATCH',
          `predictions[${k}][${i}] has ${row.length} levels; expected ${L}`,
        );
      }
      for (let l = 0; l < L; l++) {
        const v = row[l]!;
        if (!Number.isFinite(v))
          throw conformalError('E_INPUT', `predictions[${k}][${i}][${l}] is ${v}; must be finite`);
        data[(k * n + i) * L + l] = v;
      }
    });
  });
  return { K, n, L, data };
}

/** Aggregation weights: one per model (coarse) or one per (model, level) (medium); each level's weights sum to 1. */
export type AggregationWeights =
  | { granularity: 'coarse'; weights: Float64Array }
  | { granularity: 'medium'; weights: Float64Array[] };

function weightOf(w: AggregationWeights, k: number, l: number): number {
  return w.granularity === 'coarse' ? w.weights[k]! : w.weights[k]![l]!;
}

function combine(cube: Cube, w: AggregationWeights): Float64Array[] {
  const { K, n, L, data } = cube;
  return Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(L);
    for (let k = 0; k < K; k++)
      for (let l = 0; l < L; l++) row[l] = row[l]! + weightOf(w, k, l) * data[(k * n + i) * L + l]!;
    return row;
  });
}

/** ĝ(x; τ) = Σ_k w_k(τ) g_k(x; τ) (Fakoor et al. 2023). */
export function aggregateQuantiles(
  predictions: QuantilePredictions,
  weights: AggregationWeights,
  numLevels: number,
): Float64Array[] {
  const cube = toCube(predictions, numLevels);
  const count = weights.granularity === 'coarse' ? weights.weights.length : weights.weights.length;
  if (count !== cube.K)
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `weights cover ${count} models; predictions have ${cube.K}; fit the weights on predictions from the same models`,
    );
  return combine(cube, weights);
}

export const fitAggregationSchema = z
  .object({
    /** Out-of-fold quantile predictions of each base model, predictions[k][i][l]. */
    predictions: z.array(z.array(numericArraySchema)).min(1),
    y: numericArraySchema,
    /** Quantile levels τ_l in (0,1), ascending. */
    levels: numericArraySchema,
    granularity: z.enum(['coarse', 'medium']).default('coarse'),
    /** Exponentiated-gradient iterations. */
    iterations: z.number().int().positive().default(500),
    /** Step size of the normalized exponentiated-gradient update (decays as 1/√t). */
    learningRate: z.number().positive().default(1),
  })
  .strict();
export type FitAggregationOptions = z.input<typeof fitAggregationSchema>;

/**
 * Fits simplex weights minimizing the summed pinball loss of the aggregate on out-of-fold predictions
 * (coarse: one weight per model; medium: per model and level) by exponentiated-gradient descent (a convex
 * problem); returns the best iterate.
 */
export function fitQuantileAggregation(options: FitAggregationOptions): {
  weights: AggregationWeights;
  loss: number;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', fitAggregationSchema, options);
  const levels = finiteArray(opts.levels, 'levels');
  const L = levels.length;
  const cube = toCube(opts.predictions, L);
  const y = finiteArray(opts.y, 'y');
  if (y.length !== cube.n)
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `y has ${y.length} values; predictions have ${cube.n} points; pass one y per prediction point`,
    );
  const { K, n, data } = cube;
  const medium = opts.granularity === 'medium';
  const groups = medium ? L : 1;
  // w[g][k]
  const w = Array.from({ length: groups }, () => new Float64Array(K).fill(1 / K));
  const eta = opts.learningRate;
  const current = (): AggregationWeights =>
    medium
      ? {
          granularity: 'medium',
          weights: Array.from({ length: K }, (_, k) => Float64Array.from({ length: L }, (_, l) => w[l]![k]!)),
        }
      : { granularity: 'coarse', weights: Float64Array.from(w[0]!) };
  const lossOf = (weights: AggregationWeights) => {
    const agg = combine(cube, weights);
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let l = 0; l < L; l++) total += pinballLoss(y[i]!, agg[i]![l]!, levels[l]!);
    return total / (n * L);
  };
  let best = current();
  let bestLoss = lossOf(best);
  const grad = Array.from({ length: groups }, () => new Float64Array(K));
  for (let it = 0; it < opts.iterations; it++) {
    const agg = combine(cube, current());
    for (const g of grad) g.fill(0);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < L; l++) {
        // d/dq ρ_τ(y − q) = −τ if y > q, (1 − τ) if y < q
        const tau = levels[l]!;
        const d = y[i]! > agg[i]![l]! ? -tau : y[i]! < agg[i]![l]! ? 1 - tau : 0;
        if (d === 0) continue;
        const g = grad[medium ? l : 0]!;
        for (let k = 0; k < K; k++) g[k] = g[k]! + (d * data[(k * n + i) * L + l]!) / (n * L);
      }
    }
    const step = eta / Math.sqrt(it + 1);
    for (let gi = 0; gi < groups; gi++) {
      const wg = w[gi]!;
      const g = grad[gi]!;
      let minG = Number.POSITIVE_INFINITY;
      let maxG = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) {
        minG = Math.min(minG, g[k]!);
        maxG = Math.max(maxG, g[k]!);
      }
      if (!(maxG > minG)) continue;
      // normalized exponentiated gradient: the most-penalized model shrinks by e^{−step} at most
      let sum = 0;
      for (let k = 0; k < K; k++) {
        wg[k] = wg[k]! * Math.exp((-step * (g[k]! - minG)) / (maxG - minG));
        sum += wg[k]!;
      }
      for (let k = 0; k < K; k++) wg[k] = wg[k]! / sum;
    }
    const candidate = current();
    const loss = lossOf(candidate);
    if (loss < bestLoss) {
      bestLoss = loss;
      best = candidate;
    }
  }
  return { weights: best, loss: bestLoss };
}

export const conformalizeQuantilesSchema = z
  .object({
    calY: numericArraySchema,
    /** Calibration quantile predictions calQuantiles[i][l] at `levels`. */
    calQuantiles: z.array(numericArraySchema),
    testQuantiles: z.array(numericArraySchema),
    /** Ascending levels; each τ < ½ is paired with 1 − τ when present. */
    levels: numericArraySchema,
    /** Non-crossing fix after the adjustment. */
    fix: z.enum(['sort', 'isotonic', 'none']).default('sort'),
  })
  .strict();
export type ConformalizeQuantilesOptions = z.input<typeof conformalizeQuantilesSchema>;

/**
 * Conformal calibration of (aggregated) quantiles, pairwise CQR: each symmetric pair (τ, 1−τ) is a
 * (1−2τ)-interval shifted by the ⌈(n+1)(1−2τ)⌉-th score max(q_τ − y, y − q_{1−τ}); unpaired levels are
 * kept; then sorting or isotonic regression restores monotonicity (neither can increase WIS). This design
 * reads the abstract and reference code of Fakoor et al.; the paper's full conformal section is not verified.
 */
export function conformalizeQuantiles(options: ConformalizeQuantilesOptions): {
  test: Float64Array[];
  /** Shift Q per level pair (lower index, upper index, Q). */
  shifts: { lower: number; upper: number; q: number }[];
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', conformalizeQuantilesSchema, options);
  const levels = finiteArray(opts.levels, 'levels');
  const L = levels.length;
  const y = finiteArray(opts.calY, 'calY');
  checkSameLength({ calY: y, calQuantiles: opts.calQuantiles });
  const cal = opts.calQuantiles.map((r, i) => rowOf(r, L, `calQuantiles[${i}]`));
  const test = opts.testQuantiles.map((r, j) => Float64Array.from(rowOf(r, L, `testQuantiles[${j}]`)));
  const n = y.length;
  const shifts: { lower: number; upper: number; q: number }[] = [];
  for (let a = 0; a < L; a++) {
    const tau = levels[a]!;
    if (tau >= 0.5) continue;
    const b = levels.findIndex((t) => Math.abs(t - (1 - tau)) < 1e-9);
    if (b < 0) continue;
    const scores = Float64Array.from(y, (v, i) => Math.max(cal[i]![a]! - v, v - cal[i]![b]!));
    const q = orderStatistic(scores, conformalRank(n, 2 * tau));
    shifts.push({ lower: a, upper: b, q });
    for (const row of test) {
      row[a] = row[a]! - q;
      row[b] = row[b]! + q;
    }
  }
  const fixed = test.map((row) =>
    opts.fix === 'sort' ? row.sort() : opts.fix === 'isotonic' ? isotonicFit(row) : row,
  );
  return { test: fixed, shifts };
}

function rowOf(row: NumericArray, L: number, name: string): Float64Array {
  if (row.length !== L)
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `${name} has ${row.length} values; expected one per level (${L})`,
    );
  return finiteArray(row, name);
}

/** Per-level empirical P(Y ≤ q_τ) and the mean absolute calibration error over levels. */
export function quantileCalibration(
  y: NumericArray,
  quantiles: readonly NumericArray[],
  levels: NumericArray,
): { coverage: Float64Array; meanAbsoluteError: number } {
  checkSameLength({ y, quantiles });
  const L = levels.length;
  const coverage = new Float64Array(L);
  for (let i = 0; i < y.length; i++) {
    const row = quantiles[i]!;
    for (let l = 0; l < L; l++) if (y[i]! <= row[l]!) coverage[l] = coverage[l]! + 1;
  }
  let mae = 0;
  for (let l = 0; l < L; l++) {
    coverage[l] = coverage[l]! / Math.max(1, y.length);
    mae += Math.abs(coverage[l]! - levels[l]!);
  }
  return { coverage, meanAbsoluteError: mae / Math.max(1, L) };
}
