import { mean, minimizeLbfgs, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME, scalingError } from '../errors.js';
import { standardDeviation } from '../internal/standard-deviation.js';
import { prepareChinchillaData } from './chinchilla-data.js';
import { chinchillaObjective } from './chinchilla-objective.js';
import { type ChinchillaParams, chinchillaLoss, fromLogVector } from './chinchilla-params.js';
import { type ChinchillaFit, fitChinchilla } from './fit-chinchilla.js';
import {
  type ChinchillaPoints,
  chinchillaPointsSchema,
  type FitChinchillaOptions,
} from './fit-chinchilla-options.js';

export interface HeldOutPrediction {
  /** Row index in the caller's arrays. */
  readonly row: number;
  readonly params: number;
  readonly tokens: number;
  readonly loss: number;
  readonly predicted: number;
  /** (predicted − loss)/loss. */
  readonly relativeError: number;
}

export interface HoldOutReport {
  readonly heldOut: readonly HeldOutPrediction[];
  readonly meanAbsoluteRelativeError: number;
  readonly maxAbsoluteRelativeError: number;
  /** The fit on the remaining runs. */
  readonly fit: ChinchillaFit;
}

const holdOutSchema = z
  .object({
    /** How many of the largest runs to hold out. */
    count: z.number().int().positive(),
    /** Rank runs by compute 6·N·D (default) or by model size N. */
    by: z.enum(['compute', 'params']).default('compute'),
  })
  .strict();

function prediction(p: ChinchillaParams, row: number, n: number, d: number, l: number): HeldOutPrediction {
  const predicted = chinchillaLoss(p, n, d);
  return { row, params: n, tokens: d, loss: l, predicted, relativeError: (predicted - l) / l };
}

function summarise(heldOut: HeldOutPrediction[]) {
  const abs = heldOut.map((h) => Math.abs(h.relativeError));
  return {
    meanAbsoluteRelativeError: mean(abs),
    maxAbsoluteRelativeError: Math.max(...abs),
  };
}

/**
 * Extrapolation check: fit on all but the `count` largest runs and report the relative error of the
 * predictions on the held-out ones (the honest number to quote for an extrapolation).
 */
export function holdOutLargest(
  points: ChinchillaPoints,
  holdOut: z.input<typeof holdOutSchema>,
  fitOptions: FitChinchillaOptions = {},
): HoldOutReport {
  const input = parseOptions(PACKAGE_NAME, 'points', chinchillaPointsSchema, points);
  const h = parseOptions(PACKAGE_NAME, 'holdOut', holdOutSchema, holdOut);
  const n = input.params.length;
  if (h.count >= n - 5) {
    throw scalingError('E_INPUT', `holding out ${h.count} of ${n} runs leaves fewer than 5 to fit`);
  }
  const size = (i: number) => (h.by === 'compute' ? input.params[i]! * input.tokens[i]! : input.params[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => size(j) - size(i));
  const held = new Set(order.slice(0, h.count));
  const keep = order.filter((i) => !held.has(i)).sort((a, b) => a - b);
  const pick = (values: ArrayLike<number>) => keep.map((i) => values[i]!);
  const fit = fitChinchilla(
    { params: pick(input.params), tokens: pick(input.tokens), loss: pick(input.loss) },
    fitOptions,
  );
  const heldOut = [...held]
    .sort((a, b) => a - b)
    .map((i) => prediction(fit.params, i, input.params[i]!, input.tokens[i]!, input.loss[i]!));
  return { heldOut, ...summarise(heldOut), fit };
}

export interface LeaveOneOutReport {
  readonly predictions: readonly HeldOutPrediction[];
  readonly meanAbsoluteRelativeError: number;
  readonly maxAbsoluteRelativeError: number;
  /** Jackknife standard errors of the parameters: sqrt((n−1)/n · Σ(θ_i − θ̄)²). */
  readonly jackknifeSe: ChinchillaParams;
}

/**
 * Leave-one-out over the fit's kept runs: each refit warm-starts from the full fit's optimum (tight
 * tolerances), predicts the left-out run, and the spread of the refits gives jackknife standard errors.
 */
export function leaveOneOut(points: ChinchillaPoints, fit: ChinchillaFit): LeaveOneOutReport {
  const input = parseOptions(PACKAGE_NAME, 'points', chinchillaPointsSchema, points);
  const data = prepareChinchillaData(input.params, input.tokens, input.loss, fit.options.dropHighestLoss, 6);
  const m = data.logN.length;
  const scale = fit.options.reduce === 'mean' ? 1 / (m - 1) : 1;
  const weights = new Float64Array(m).fill(1);
  const predictions: HeldOutPrediction[] = [];
  const samples: ChinchillaParams[] = [];
  for (let k = 0; k < m; k++) {
    weights[k] = 0;
    const objective = chinchillaObjective(data, fit.options.delta, scale, weights);
    const result = minimizeLbfgs(objective, fit.logParams, {
      gradientTolerance: 1e-9,
      functionTolerance: 1e-15,
    });
    weights[k] = 1;
    const p = fromLogVector(result.x);
    samples.push(p);
    const row = data.kept[k]!;
    predictions.push(prediction(p, row, input.params[row]!, input.tokens[row]!, input.loss[row]!));
  }
  const jack = (key: keyof ChinchillaParams) =>
    standardDeviation(samples.map((s) => s[key])) * Math.sqrt(((m - 1) * (m - 1)) / m);
  return {
    predictions,
    ...summarise(predictions),
    jackknifeSe: { E: jack('E'), A: jack('A'), B: jack('B'), alpha: jack('alpha'), beta: jack('beta') },
  };
}
