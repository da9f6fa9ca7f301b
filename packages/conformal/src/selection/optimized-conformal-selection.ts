import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { countBelow } from '../core/count-below.js';
import { bhCount, ebhUnchecked } from '../core/multiple-testing.js';
import { alphaSchema, finiteArray, type NumericArray, numericArraySchema } from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { pruningDraws } from './weighted-conformal-selection.js';

/**
 * OptCS (Bai & Jin 2024): per test unit j, a conformal p-value p_j and an auxiliary selection size s_j
 * computed from the calibration set augmented with unit j; e-values
 * e_j = 1{p_j ≤ qβ s_j/m} · m/(qβ s_j) (0 when s_j = 0); then eBH at level q after optional pruning
 * e_j/ξ_j. eBH controls FDR under arbitrary dependence.
 */
export interface OptcsResult {
  readonly selected: number[];
  readonly pValues: Float64Array;
  readonly eValues: Float64Array;
  /** Auxiliary selection sizes s_j. */
  readonly auxSizes: Int32Array;
  /** The candidate chosen per unit (model-selection variants). */
  readonly chosen?: Int32Array;
}

const commonFields = {
  fdr: alphaSchema,
  /** Shrinks the e-value threshold to qβ s_j/m (the simulations also try β = 0.9). Default 1. */
  beta: z.number().gt(0).max(1).default(1),
  pruning: z.enum(['heterogeneous', 'homogeneous', 'deterministic']).default('deterministic'),
  seed: z.number().int().safe().default(0),
};

/** The e-value and eBH step shared by the three OptCS procedures. */
export function optcsEValueSelection(
  pValues: Float64Array,
  auxSizes: Int32Array,
  options: {
    fdr: number;
    beta: number;
    pruning: 'heterogeneous' | 'homogeneous' | 'deterministic';
    seed: number;
  },
): { eValues: Float64Array; selected: number[] } {
  const m = pValues.length;
  const eValues = Float64Array.from(pValues, (p, j) => {
    const s = auxSizes[j]!;
    if (s === 0) return 0;
    const threshold = (options.fdr * options.beta * s) / m;
    return p <= threshold * (1 + 1e-12) ? 1 / threshold : 0;
  });
  const xi = pruningDraws(m, options.pruning, options.seed, 'optcs-pruning');
  const pruned = Float64Array.from(eValues, (e, j) => e / xi[j]!);
  return { eValues, selected: ebhUnchecked(pruned, options.fdr) };
}

/** argmax with uniform random tie-breaking from a keyed stream. */
function argmaxRandom(values: Int32Array, random: ReturnType<typeof createRandom>, index: number): number {
  let best = -1;
  const ties: number[] = [];
  values.forEach((v, k) => {
    if (v > best) {
      best = v;
      ties.length = 0;
      ties.push(k);
    } else if (v === best) ties.push(k);
  });
  return ties[random.integer(index, ties.length)]!;
}

export const optcsModelSelectionSchema = z
  .object({
    /** `calScores[k][i]`: clipped/monotone score of calibration unit i under candidate k. */
    calScores: z.array(numericArraySchema).min(1),
    /** `testScores[k][j]`: score of test unit j at its threshold under candidate k. */
    testScores: z.array(numericArraySchema).min(1),
    ...commonFields,
  })
  .strict();
export type OptcsModelSelectionOptions = z.input<typeof optcsModelSelectionSchema>;

/**
 * OptCS-MSel: choose among K pre-trained candidate scores per test unit without sample splitting. For unit
 * j and candidate k, auxiliary p-values p_l = (#{V_i^k ≤ V̂_l^k} + 1{V̂_j^k ≤ V̂_l^k})/(n+1) (l ≠ j, p_j = 0)
 * give s_j^k = |BH_q|; θ_j = argmax_k s_j^k (random tie-break); p_j = (1 + #{V_i^θ < V̂_j^θ})/(n+1).
 * Follows the reference simulation (Tian-Bai/OptCS, MSel). Cost O(K·m²·log m).
 */
export function optcsModelSelection(options: OptcsModelSelectionOptions): OptcsResult {
  const opts = parseOptions(PACKAGE_NAME, 'options', optcsModelSelectionSchema, options);
  const K = opts.calScores.length;
  if (opts.testScores.length !== K) {
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `calScores has ${K} candidates but testScores has ${opts.testScores.length}; pass one score array per candidate in both`,
    );
  }
  const cal = opts.calScores.map((s, k) => finiteArray(s, `calScores[${k}]`).sort());
  const test = opts.testScores.map((s, k) => finiteArray(s, `testScores[${k}]`));
  const n = cal[0]!.length;
  const m = test[0]!.length;
  cal.forEach((c, k) => {
    if (c.length !== n || test[k]!.length !== m) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `candidate ${k} has ${c.length} calibration / ${test[k]!.length} test scores; expected ${n} / ${m}`,
      );
    }
  });
  // #{V_i^k ≤ V̂_l^k} for every candidate and test unit
  const atMost = cal.map((c, k) => Int32Array.from(test[k]!, (v) => countBelow(c, v, true)));
  const random = createRandom(opts.seed, 'conformal', 'optcs-ties');
  const pValues = new Float64Array(m);
  const auxSizes = new Int32Array(m);
  const chosen = new Int32Array(m);
  const aux = new Float64Array(m);
  const sizes = new Int32Array(K);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < K; k++) {
      const t = test[k]!;
      for (let l = 0; l < m; l++) {
        aux[l] = l === j ? 0 : (atMost[k]![l]! + (t[j]! <= t[l]! ? 1 : 0)) / (n + 1);
      }
      sizes[k] = bhCount(aux, opts.fdr);
    }
    const theta = argmaxRandom(sizes, random, j);
    chosen[j] = theta;
    auxSizes[j] = sizes[theta]!;
    pValues[j] = (1 + countBelow(cal[theta]!, test[theta]![j]!, false)) / (n + 1);
  }
  const { eValues, selected } = optcsEValueSelection(pValues, auxSizes, opts);
  return { selected, pValues, eValues, auxSizes, chosen };
}

/** Leave-one-out scores for the calibration set augmented with test unit j (model trained symmetrically). */
export interface AugmentedScores {
  /** LOO scores V_i^{(j)} of the n labelled units. */
  readonly calScores: NumericArray;
  /** LOO score V̂_j^{(j)} of unit j at its imputed null label. */
  readonly testScore: number;
  /** Scores V̂_l of the other test units under the model trained on the augmented set without j (length m; entry j ignored). */
  readonly otherTestScores: NumericArray;
}

const fullFields = {
  numTest: z.number().int().min(1),
  ...commonFields,
};

/** p_j and s_j from one augmented-set fit (deterministic counting, as the reference with U = 1). */
function fullUnit(scores: AugmentedScores, j: number, m: number, fdr: number): { p: number; s: number } {
  const cal = finiteArray(scores.calScores, `calScores (unit ${j})`).sort();
  const n = cal.length;
  const v = scores.testScore;
  if (!Number.isFinite(v))
    throw conformalError('E_INPUT', `testScore for unit ${j} is ${v}; scores must be finite`);
  const others = finiteArray(scores.otherTestScores, `otherTestScores (unit ${j})`);
  if (others.length !== m) {
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `otherTestScores for unit ${j} has ${others.length} entries; expected ${m}`,
    );
  }
  const p = (1 + countBelow(cal, v, true)) / (n + 1);
  const aux = Float64Array.from(others, (w, l) =>
    l === j ? 0 : (countBelow(cal, w, true) + (v <= w ? 1 : 0)) / (n + 1),
  );
  return { p, s: bhCount(aux, fdr) };
}

export const optcsFullSchema = z
  .object({
    ...fullFields,
    /** Trains leave-one-out on labelled data ∪ {unit j with its imputed null label} and returns the scores. */
    fitAugmented: z.custom<(j: number) => AugmentedScores>(
      (v) => typeof v === 'function',
      'must be a function',
    ),
  })
  .strict();
export type OptcsFullOptions = z.input<typeof optcsFullSchema>;

/**
 * OptCS-Full: no sample splitting. For each test unit j the callback fits leave-one-out on the n+1 points
 * (symmetric in them) and returns LOO scores; p_j = (1 + #{V_i ≤ V̂_j})/(n+1) (deterministic, ties
 * conservative), auxiliary p-values of the other units from the model without j, s_j = |BH_q(aux)|,
 * then the e-value/eBH step. m calls to the callback.
 */
export function optcsFull(options: OptcsFullOptions): OptcsResult {
  const opts = parseOptions(PACKAGE_NAME, 'options', optcsFullSchema, options);
  const m = opts.numTest;
  const pValues = new Float64Array(m);
  const auxSizes = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const { p, s } = fullUnit(opts.fitAugmented(j), j, m, opts.fdr);
    pValues[j] = p;
    auxSizes[j] = s;
  }
  const { eValues, selected } = optcsEValueSelection(pValues, auxSizes, opts);
  return { selected, pValues, eValues, auxSizes };
}

export const optcsFullModelSelectionSchema = z
  .object({
    ...fullFields,
    numModels: z.number().int().min(1),
    fitAugmented: z.custom<(j: number, model: number) => AugmentedScores>(
      (v) => typeof v === 'function',
      'must be a function',
    ),
  })
  .strict();
export type OptcsFullModelSelectionOptions = z.input<typeof optcsFullModelSelectionSchema>;

/**
 * OptCS-Full-MSel: as `optcsFull` for each candidate model class; per unit the candidate with the largest
 * auxiliary selection size (random tie-break) supplies p_j and s_j. m·K callback calls.
 */
export function optcsFullModelSelection(options: OptcsFullModelSelectionOptions): OptcsResult {
  const opts = parseOptions(PACKAGE_NAME, 'options', optcsFullModelSelectionSchema, options);
  const m = opts.numTest;
  const random = createRandom(opts.seed, 'conformal', 'optcs-full-ties');
  const pValues = new Float64Array(m);
  const auxSizes = new Int32Array(m);
  const chosen = new Int32Array(m);
  const sizes = new Int32Array(opts.numModels);
  const ps = new Float64Array(opts.numModels);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < opts.numModels; k++) {
      const { p, s } = fullUnit(opts.fitAugmented(j, k), j, m, opts.fdr);
      ps[k] = p;
      sizes[k] = s;
    }
    const theta = argmaxRandom(sizes, random, j);
    chosen[j] = theta;
    pValues[j] = ps[theta]!;
    auxSizes[j] = sizes[theta]!;
  }
  const { eValues, selected } = optcsEValueSelection(pValues, auxSizes, opts);
  return { selected, pValues, eValues, auxSizes, chosen };
}
