import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { uniformSource } from '../core/conformal-p-values.js';
import { bhCount, bhUnchecked } from '../core/multiple-testing.js';
import {
  alphaSchema,
  checkSameLength,
  finiteArray,
  numericArraySchema,
  positiveArray,
} from '../core/validate.js';
import { PACKAGE_NAME } from '../errors.js';

/** Pruning of the first-step set: independent ξ_j, one shared ξ, or ξ = 1. */
export type Pruning = 'heterogeneous' | 'homogeneous' | 'deterministic';

const weightedFields = {
  calScores: numericArraySchema,
  /** w(X_i) for calibration units (likelihood ratio test/train, any scale, ≥ 0). */
  calWeights: numericArraySchema,
  testScores: numericArraySchema,
  testWeights: numericArraySchema,
  fdr: alphaSchema,
  seed: z.number().int().safe().default(0),
};

interface SortedWeighted {
  readonly scores: Float64Array;
  /** prefix[r] = Σ weights of the r smallest scores. */
  readonly prefix: Float64Array;
  readonly total: number;
}

function sortWeighted(scores: Float64Array, weights: Float64Array): SortedWeighted {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  const sorted = Float64Array.from(order, (i) => scores[i]!);
  const prefix = new Float64Array(order.length + 1);
  order.forEach((i, r) => {
    prefix[r + 1] = prefix[r]! + weights[i]!;
  });
  return { scores: sorted, prefix, total: prefix[order.length]! };
}

/** Σ w_i 1{V_i < v} and Σ w_i 1{V_i = v}. */
function massBelow(cal: SortedWeighted, v: number): { less: number; equal: number } {
  const s = cal.scores;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < s.length && s[end] === v) end++;
  return { less: cal.prefix[lo]!, equal: cal.prefix[end]! - cal.prefix[lo]! };
}

export const weightedSelectionPValuesSchema = z
  .object({ ...weightedFields, randomized: z.boolean().default(false) })
  .omit({ fdr: true })
  .strict();

/**
 * Weighted conformal selection p-values (Jin & Candès 2023b):
 * p_j = (Σ_i w_i 1{V_i < V̂_j} + U_j (w_{n+j} + Σ_i w_i 1{V_i = V̂_j})) / (Σ_i w_i + w_{n+j}); U_j = 1 when
 * not randomized.
 */
export function weightedSelectionPValues(
  options: z.input<typeof weightedSelectionPValuesSchema>,
): Float64Array {
  const opts = parseOptions(PACKAGE_NAME, 'options', weightedSelectionPValuesSchema, options);
  const { cal, test, testW } = prepare(opts);
  const u = opts.randomized ? uniformSource(opts, 'weighted-selection') : () => 1;
  return Float64Array.from(test, (v, j) => {
    const { less, equal } = massBelow(cal, v);
    return (less + u(j) * (testW[j]! + equal)) / (cal.total + testW[j]!);
  });
}

function prepare(opts: {
  calScores: ArrayLike<number>;
  calWeights: ArrayLike<number>;
  testScores: ArrayLike<number>;
  testWeights: ArrayLike<number>;
}) {
  checkSameLength({ calScores: opts.calScores, calWeights: opts.calWeights });
  checkSameLength({ testScores: opts.testScores, testWeights: opts.testWeights });
  const cal = sortWeighted(
    finiteArray(opts.calScores, 'calScores'),
    positiveArray(opts.calWeights, 'calWeights', true),
  );
  return {
    cal,
    test: finiteArray(opts.testScores, 'testScores'),
    testW: positiveArray(opts.testWeights, 'testWeights', true),
  };
}

/** Weighted BH: BH on `weightedSelectionPValues`. Fast, but no finite-sample FDR guarantee under shift. */
export function weightedBH(options: z.input<typeof weightedSelectionPValuesSchema> & { fdr: number }): {
  pValues: Float64Array;
  selected: number[];
} {
  const { fdr, ...rest } = options;
  const q = parseOptions(PACKAGE_NAME, 'fdr', alphaSchema, fdr);
  const pValues = weightedSelectionPValues(rest);
  return { pValues, selected: bhUnchecked(pValues, q) };
}

/**
 * Final pruning step shared by WCS and e-value procedures: given candidate units with values v_j
 * (ξ_j·|R̂_j|), select the r* units with smallest values where r* = max{r : #{v_j ≤ r} ≥ r}.
 */
export function pruneSelection(candidates: readonly number[], values: Float64Array): number[] {
  const sorted = candidates.map((j) => values[j]!).sort((a, b) => a - b);
  let rStar = 0;
  for (let r = sorted.length; r >= 1; r--) {
    if (sorted[r - 1]! <= r) {
      rStar = r;
      break;
    }
  }
  if (rStar === 0) return [];
  return candidates
    .map((j) => ({ j, v: values[j]! }))
    .sort((a, b) => a.v - b.v || a.j - b.j)
    .slice(0, rStar)
    .map((e) => e.j)
    .sort((a, b) => a - b);
}

/** ξ_j for pruning, from `createRandom(seed, 'conformal', key)`. */
export function pruningDraws(m: number, pruning: Pruning, seed: number, key: string): Float64Array {
  const random = createRandom(seed, 'conformal', key);
  if (pruning === 'deterministic') return new Float64Array(m).fill(1);
  if (pruning === 'homogeneous') return new Float64Array(m).fill(random.uniform(0));
  return Float64Array.from({ length: m }, (_, j) => random.uniform(j));
}

export const weightedConformalSelectionSchema = z
  .object({
    ...weightedFields,
    pruning: z.enum(['heterogeneous', 'homogeneous', 'deterministic']).default('heterogeneous'),
  })
  .strict();
export type WeightedConformalSelectionOptions = z.input<typeof weightedConformalSelectionSchema>;

/**
 * Weighted Conformalized Selection (WCS, Jin & Candès 2023b), following the reference R code
 * (`weighted_CS`) but with the paper's non-strict inequalities (the R code's strict `<` would make
 * deterministic pruning select nothing when all |R̂_j| tie). FDR ≤ q under covariate shift with the
 * true weights. O(m² log m).
 */
export function weightedConformalSelection(options: WeightedConformalSelectionOptions): {
  selected: number[];
  /** R⁽¹⁾: units with j ∈ R̂_j. */
  firstStep: number[];
  /** |R̂_j| for every test unit. */
  rejectionSizes: Int32Array;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', weightedConformalSelectionSchema, options);
  const { cal, test, testW } = prepare(opts);
  const m = test.length;
  const below = Float64Array.from(test, (v) => massBelow(cal, v).less);
  const rejectionSizes = new Int32Array(m);
  const firstStep: number[] = [];
  const aux = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const denominator = cal.total + testW[j]!;
    for (let l = 0; l < m; l++) {
      aux[l] = (below[l]! + (l === j || test[j]! < test[l]! ? testW[j]! : 0)) / denominator;
    }
    const size = bhCount(aux, opts.fdr);
    rejectionSizes[j] = size;
    if (size > 0 && aux[j]! * m <= opts.fdr * size * (1 + 1e-12)) firstStep.push(j);
  }
  const xi = pruningDraws(m, opts.pruning, opts.seed, 'wcs-pruning');
  const values = Float64Array.from(xi, (x, j) => x * rejectionSizes[j]!);
  return { selected: pruneSelection(firstStep, values), firstStep, rejectionSizes };
}
