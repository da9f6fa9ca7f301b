import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { conformalRank } from '../core/conformal-rank.js';
import { orderStatistic } from '../core/split-quantile.js';
import { alphaSchema, finiteArray, numericArraySchema } from '../core/validate.js';
import { PACKAGE_NAME } from '../errors.js';

const aciFields = {
  /** Target miscoverage α. */
  alpha: alphaSchema,
  /** Step size γ > 0. */
  gamma: z.number().positive().finite(),
  /** Starting level α_1 (default α). Any finite number. */
  alphaInit: z.number().finite().optional(),
};

/**
 * Threshold at level α_t from past scores, without clipping α_t (Gibbs & Candès 2021):
 * α_t ≤ 0 → +∞ (the whole line), α_t ≥ 1 → −∞ (the empty set), else the ⌈(n+1)(1−α_t)⌉-th smallest.
 */
export function aciThreshold(pastScores: Float64Array, alphaT: number): number {
  if (alphaT <= 0) return Number.POSITIVE_INFINITY;
  if (alphaT >= 1) return Number.NEGATIVE_INFINITY;
  return orderStatistic(Float64Array.from(pastScores), conformalRank(pastScores.length, alphaT));
}

export interface AdaptiveConformal {
  /** The current level α_t. */
  readonly alphaT: number;
  /** Threshold for the next prediction from the current calibration window. */
  threshold(windowScores: ArrayLike<number>): number;
  /** Records err_t (true = the truth fell outside) and returns α_{t+1} = α_t + γ(α − err_t). */
  update(miscovered: boolean): number;
}

/** Stateful ACI for streaming use. */
export function createAdaptiveConformal(options: z.input<z.ZodObject<typeof aciFields>>): AdaptiveConformal {
  const opts = parseOptions(PACKAGE_NAME, 'options', z.object(aciFields).strict(), options);
  let alphaT = opts.alphaInit ?? opts.alpha;
  return {
    get alphaT() {
      return alphaT;
    },
    threshold(windowScores) {
      return aciThreshold(finiteArray(windowScores, 'windowScores'), alphaT);
    },
    update(miscovered) {
      alphaT += opts.gamma * (opts.alpha - (miscovered ? 1 : 0));
      return alphaT;
    },
  };
}

/** The ACI level sequence for given errors: element t is α_{t+1} = α_t + γ(α − err_t). */
export function aciTrajectory(
  errors: readonly (boolean | number)[],
  options: z.input<z.ZodObject<typeof aciFields>>,
): Float64Array {
  const aci = createAdaptiveConformal(options);
  return Float64Array.from(errors, (e) => aci.update(e === true || e === 1));
}

export const adaptiveConformalSchema = z
  .object({
    ...aciFields,
    /** Score observed at each time step (e.g. |y_t − ŷ_t|), in time order. */
    scores: numericArraySchema,
    /** Calibration window: the last `window` scores (default: all past scores). */
    window: z.number().int().positive().optional(),
    /** Number of initial scores used only as calibration before predicting (default 1). */
    warmup: z.number().int().min(1).default(1),
  })
  .strict();
export type AdaptiveConformalOptions = z.input<typeof adaptiveConformalSchema>;

/**
 * Runs ACI over a score sequence: at each t ≥ warmup the threshold comes from the window of past scores at
 * level α_t; err_t = 1{s_t > q_t}; then α_{t+1} = α_t + γ(α − err_t). Long-run guarantee (any sequence):
 * |mean(err) − α| ≤ (max(α_1, 1−α_1) + γ)/(γT).
 */
export function adaptiveConformal(options: AdaptiveConformalOptions): {
  alphas: Float64Array;
  thresholds: Float64Array;
  errors: Uint8Array;
  errorRate: number;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', adaptiveConformalSchema, options);
  const scores = finiteArray(opts.scores, 'scores');
  const steps = Math.max(0, scores.length - opts.warmup);
  const alphas = new Float64Array(steps);
  const thresholds = new Float64Array(steps);
  const errors = new Uint8Array(steps);
  let alphaT = opts.alphaInit ?? opts.alpha;
  let errorCount = 0;
  for (let s = 0; s < steps; s++) {
    const t = s + opts.warmup;
    const start = opts.window === undefined ? 0 : Math.max(0, t - opts.window);
    const q = aciThreshold(scores.subarray(start, t), alphaT);
    const err = scores[t]! > q ? 1 : 0;
    alphas[s] = alphaT;
    thresholds[s] = q;
    errors[s] = err;
    errorCount += err;
    alphaT += opts.gamma * (opts.alpha - err);
  }
  return { alphas, thresholds, errors, errorRate: steps === 0 ? Number.NaN : errorCount / steps };
}
