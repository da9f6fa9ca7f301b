import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { uniformSource } from '../core/conformal-p-values.js';
import { countBelow, countTies } from '../core/count-below.js';
import { bhUnchecked } from '../core/multiple-testing.js';
import {
  alphaSchema,
  checkSameLength,
  finiteArray,
  type NumericArray,
  numericArraySchema,
} from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';

/**
 * Selection p-values (Jin & Candès 2023): small when the test score is low relative to calibration,
 * p_j = (#{V_i < V̂_j} + U_j·(1 + #{V_i = V̂_j})) / (n+1), deterministic with U_j = 1.
 */
export function selectionPValues(
  calScores: Float64Array,
  testScores: Float64Array,
  u: ((j: number) => number) | undefined,
): Float64Array {
  const sorted = Float64Array.from(calScores).sort();
  const n = sorted.length;
  const out = new Float64Array(testScores.length);
  for (let j = 0; j < testScores.length; j++) {
    const v = testScores[j]!;
    const less = countBelow(sorted, v, false);
    const atMost = countTies(sorted, less, v);
    const equal = atMost - less;
    out[j] = (less + (u ? u(j) : 1) * (1 + equal)) / (n + 1);
  }
  return out;
}

export interface ClippedScores {
  readonly calScores: Float64Array;
  readonly testScores: Float64Array;
  /** The constant M used for calibration units with Y > c. */
  readonly clipValue: number;
}

/**
 * The clipped (power-oriented) monotone score of cfBH: V = M·1{y > c} + c·1{y ≤ c} − μ̂(x) for
 * calibration units and V̂ = c − μ̂(x) for test units. `clipValue` M defaults to a value larger than
 * needed for every Y > c unit to rank above every test score (equivalent to M = ∞).
 */
export function clippedSelectionScores(input: {
  calY: NumericArray;
  calPredictions: NumericArray;
  testPredictions: NumericArray;
  /** Threshold c: a number, or one per calibration unit / test unit. */
  calThreshold: number | NumericArray;
  testThreshold: number | NumericArray;
  clipValue?: number;
}): ClippedScores {
  const n = checkSameLength({ calY: input.calY, calPredictions: input.calPredictions });
  const y = finiteArray(input.calY, 'calY');
  const mu = finiteArray(input.calPredictions, 'calPredictions');
  const muTest = finiteArray(input.testPredictions, 'testPredictions');
  const m = muTest.length;
  const cCal = thresholds(input.calThreshold, n, 'calThreshold');
  const cTest = thresholds(input.testThreshold, m, 'testThreshold');
  const testScores = new Float64Array(m);
  let maxTest = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < m; j++) {
    testScores[j] = cTest[j]! - muTest[j]!;
    maxTest = Math.max(maxTest, testScores[j]!);
  }
  let maxMu = Number.NEGATIVE_INFINITY;
  let maxC = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    maxMu = Math.max(maxMu, mu[i]!);
    maxC = Math.max(maxC, cCal[i]!);
  }
  const auto =
    Math.max(maxC, (Number.isFinite(maxTest) ? maxTest : 0) + (Number.isFinite(maxMu) ? maxMu : 0)) + 1;
  const clipValue = input.clipValue ?? auto;
  if (!Number.isFinite(clipValue))
    throw conformalError('E_INPUT', `clipValue must be finite, got ${clipValue}`);
  const calScores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    calScores[i] = (y[i]! > cCal[i]! ? clipValue : cCal[i]!) - mu[i]!;
  }
  return { calScores, testScores, clipValue };
}

function thresholds(value: number | NumericArray, length: number, name: string): Float64Array {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw conformalError('E_INPUT', `${name} must be finite, got ${value}`);
    return new Float64Array(length).fill(value);
  }
  if (value.length !== length) {
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `${name} has ${value.length} entries; expected ${length} (one per unit) or a single number`,
    );
  }
  return finiteArray(value, name);
}

export const conformalSelectionSchema = z
  .object({
    /** Calibration scores V_i = V(X_i, Y_i) of a score monotone in y. */
    calScores: numericArraySchema,
    /** Test scores V̂_{n+j} = V(X_{n+j}, c_{n+j}). */
    testScores: numericArraySchema,
    /** Target FDR level q in (0, 1). */
    fdr: alphaSchema,
    /** Randomized (smoothed) p-values. Default false (deterministic, U = 1). */
    randomized: z.boolean().default(false),
    seed: z.number().int().safe().default(0),
  })
  .strict();
export type ConformalSelectionOptions = z.input<typeof conformalSelectionSchema>;

/** cfBH (Jin & Candès 2023): conformal p-values then Benjamini–Hochberg; FDR ≤ q in finite samples. */
export function conformalSelection(options: ConformalSelectionOptions): {
  pValues: Float64Array;
  selected: number[];
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', conformalSelectionSchema, options);
  const cal = finiteArray(opts.calScores, 'calScores');
  const test = finiteArray(opts.testScores, 'testScores');
  const pValues = selectionPValues(cal, test, opts.randomized ? uniformSource(opts, 'selection') : undefined);
  return { pValues, selected: bhUnchecked(pValues, opts.fdr) };
}

/** False discovery proportion and power of a selection, given the true non-null indicator per test unit. */
export function selectionMetrics(
  selected: readonly number[],
  nonNull: readonly boolean[],
): { fdp: number; power: number } {
  const totalNonNull = nonNull.filter(Boolean).length;
  let trueSel = 0;
  for (const j of selected) if (nonNull[j]) trueSel++;
  return {
    fdp: selected.length === 0 ? 0 : (selected.length - trueSel) / selected.length,
    power: totalNonNull === 0 ? 0 : trueSel / totalNonNull,
  };
}
