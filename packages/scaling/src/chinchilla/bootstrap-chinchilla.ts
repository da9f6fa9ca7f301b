import {
  createRandom,
  minimizeLbfgs,
  type ProgressCallback,
  parseOptions,
  quantile,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { standardDeviation } from '../internal/standard-deviation.js';
import { prepareChinchillaData } from './chinchilla-data.js';
import { chinchillaObjective } from './chinchilla-objective.js';
import { fromLogVector, toLogVector } from './chinchilla-params.js';
import { chinchillaPresets } from './chinchilla-presets.js';
import type { ChinchillaFit } from './fit-chinchilla.js';
import { type ChinchillaPoints, chinchillaPointsSchema } from './fit-chinchilla-options.js';

const bootstrapOptionsSchema = z
  .object({
    /** Number of resamples of the kept runs (Epoch used 4,000). */
    resamples: z.number().int().min(2).default(1000),
    seed: z.number().int().nonnegative(),
    /** Two-sided interval level. */
    level: z.number().gt(0).lt(1).default(0.95),
    /** Distinct full-data optima re-used as warm starts for each resample (plus the published presets). */
    warmStarts: z.number().int().positive().default(5),
  })
  .strict();

export type BootstrapChinchillaOptions = z.input<typeof bootstrapOptionsSchema>;

export interface ParameterInterval {
  readonly lower: number;
  readonly upper: number;
  /** Bootstrap standard error. */
  readonly se: number;
}

export interface ChinchillaBootstrap {
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
  readonly E: ParameterInterval;
  readonly A: ParameterInterval;
  readonly B: ParameterInterval;
  readonly alpha: ParameterInterval;
  readonly beta: ParameterInterval;
  /** Interval for the N_opt exponent a = beta/(alpha+beta). */
  readonly a: ParameterInterval;
  /** Every resample's parameters as [E, A, B, alpha, beta]. */
  readonly samples: readonly (readonly number[])[];
}

function warmStartSet(fit: ChinchillaFit, count: number): Float64Array[] {
  const order = Array.from(fit.startValues.keys()).sort((i, j) => fit.startValues[i]! - fit.startValues[j]!);
  const chosen: Float64Array[] = [];
  const values: number[] = [];
  for (const i of order) {
    if (chosen.length >= count) break;
    const v = fit.startValues[i]!;
    if (!Number.isFinite(v)) break;
    if (values.some((w) => Math.abs(w - v) <= 1e-4 * Math.abs(w))) continue;
    values.push(v);
    chosen.push(fit.endpoints[i]!);
  }
  if (chosen.length === 0) chosen.push(Float64Array.from(fit.logParams));
  chosen.push(toLogVector(chinchillaPresets.epoch), toLogVector(chinchillaPresets['hoffmann-tex']));
  return chosen;
}

/**
 * Non-parametric bootstrap of a Chinchilla fit: resample the kept runs with replacement (seeded), refit each
 * resample from the full fit's distinct optima and the published presets, and report percentile intervals.
 */
export function bootstrapChinchilla(
  points: ChinchillaPoints,
  fit: ChinchillaFit,
  options: BootstrapChinchillaOptions & { onProgress?: ProgressCallback },
): ChinchillaBootstrap {
  const { onProgress, ...rest } = options;
  const opts = parseOptions(PACKAGE_NAME, 'options', bootstrapOptionsSchema, rest);
  const input = parseOptions(PACKAGE_NAME, 'points', chinchillaPointsSchema, points);
  const data = prepareChinchillaData(input.params, input.tokens, input.loss, fit.options.dropHighestLoss, 5);
  const n = data.logN.length;
  const scale = fit.options.reduce === 'mean' ? 1 / n : 1;
  const starts = warmStartSet(fit, opts.warmStarts);
  const weights = new Float64Array(n);
  const samples: number[][] = [];
  const rng = createRandom(opts.seed, 'chinchilla-bootstrap');
  const every = Math.max(1, Math.floor(opts.resamples / 100));
  for (let r = 0; r < opts.resamples; r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[rng.integer(r * n + i, n)]! += 1;
    const objective = chinchillaObjective(data, fit.options.delta, scale, weights);
    let best: { x: Float64Array; value: number } | undefined;
    for (const start of starts) {
      // Warm starts sit next to the resample's optimum, where scipy's absolute-looking ftol test
      // (max(|f|, 1) in the denominator) would stop after one step; so refits use tight tolerances.
      const result = minimizeLbfgs(objective, start, {
        gradientTolerance: Math.min(fit.options.gradientTolerance, 1e-9),
        functionTolerance: 1e-15,
        maxIterations: fit.options.maxIterations,
      });
      if (Number.isFinite(result.value) && (best === undefined || result.value < best.value)) best = result;
    }
    const p = fromLogVector(best?.x ?? fit.logParams);
    samples.push([p.E, p.A, p.B, p.alpha, p.beta]);
    if (onProgress && ((r + 1) % every === 0 || r + 1 === opts.resamples)) {
      onProgress({ done: r + 1, total: opts.resamples, label: 'bootstrap' });
    }
  }
  const tail = (1 - opts.level) / 2;
  const interval = (values: number[]): ParameterInterval => {
    const sorted = Float64Array.from(values).sort();
    return {
      lower: quantile(sorted, tail),
      upper: quantile(sorted, 1 - tail),
      se: standardDeviation(sorted),
    };
  };
  const column = (k: number) => samples.map((s) => s[k]!);
  return {
    level: opts.level,
    resamples: opts.resamples,
    seed: opts.seed,
    E: interval(column(0)),
    A: interval(column(1)),
    B: interval(column(2)),
    alpha: interval(column(3)),
    beta: interval(column(4)),
    a: interval(samples.map((s) => s[4]! / (s[3]! + s[4]!))),
    samples,
  };
}
