import { createRandom, mean, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { alphaSchema, finiteArray, type NumericArray, numericArraySchema } from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';
import { type CrossConformalInterval, crossConformalIntervals } from './cross-conformal.js';

/** A model fitted on a bootstrap sample (indices with repetition), predicting all n training and all test points. */
export type BootstrapFit = (sampleIndices: Int32Array) => { train: NumericArray; test: NumericArray };

export const jackknifeAfterBootstrapSchema = z
  .object({
    y: numericArraySchema,
    numTest: z.number().int().min(0),
    /** Number of bootstrap models B. */
    numBootstraps: z.number().int().min(2).default(30),
    /** Aggregation of the out-of-bag models: mean (default) or median. */
    aggregation: z.enum(['mean', 'median']).default('mean'),
    alpha: z.union([alphaSchema, z.array(alphaSchema).min(1)]),
    seed: z.number().int().safe().default(0),
    fit: z.custom<BootstrapFit>((v) => typeof v === 'function', 'must be a function'),
  })
  .strict();
export type JackknifeAfterBootstrapOptions = z.input<typeof jackknifeAfterBootstrapSchema>;

function aggregate(values: number[], rule: 'mean' | 'median'): number {
  if (rule === 'mean') return mean(values);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Jackknife+-after-bootstrap (Kim, Xu, Barber 2020): B bootstrap fits; for each training point the
 * out-of-bag aggregate μ̂_{−i} gives R_i = |y_i − μ̂_{−i}(x_i)| and test predictions μ̂_{−i}(x); then the
 * jackknife+ interval. Bootstrap samples come from `createRandom(seed, 'conformal', 'bootstrap', b)`.
 */
export function jackknifeAfterBootstrap(options: JackknifeAfterBootstrapOptions): {
  residuals: Float64Array;
  intervals: CrossConformalInterval[];
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', jackknifeAfterBootstrapSchema, options);
  const y = finiteArray(opts.y, 'y');
  const { signedResiduals, heldOutPredictions } = outOfBagPredictions(y, opts);
  const residuals = Float64Array.from(signedResiduals, Math.abs);
  const intervals = crossConformalIntervals({
    residuals,
    heldOutPredictions,
    alpha: opts.alpha,
    method: 'jackknife+',
  });
  return { residuals, intervals };
}

/**
 * Internal: B bootstrap fits (samples from `createRandom(seed, 'conformal', 'bootstrap', b)`), then for
 * every training point the out-of-bag aggregate: signed residual y_i − μ̂_{−i}(x_i) and test predictions
 * μ̂_{−i}(x_t). Shared by J+aB and EnbPI.
 */
export function outOfBagPredictions(
  y: Float64Array,
  opts: {
    numTest: number;
    numBootstraps: number;
    aggregation: 'mean' | 'median';
    seed: number;
    fit: BootstrapFit;
  },
): { signedResiduals: Float64Array; heldOutPredictions: Float64Array[] } {
  const n = y.length;
  const m = opts.numTest;
  const trainPreds: Float64Array[] = [];
  const testPreds: Float64Array[] = [];
  const inBag: Uint8Array[] = [];
  for (let b = 0; b < opts.numBootstraps; b++) {
    const random = createRandom(opts.seed, 'conformal', 'bootstrap', b);
    const sample = new Int32Array(n);
    const bag = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      sample[i] = random.integer(i, n);
      bag[sample[i]!] = 1;
    }
    const out = opts.fit(sample);
    if (out.train.length !== n || out.test.length !== m) {
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `bootstrap fit ${b} returned ${out.train.length} train / ${out.test.length} test predictions; expected ${n} / ${m}`,
      );
    }
    trainPreds.push(finiteArray(out.train, `bootstrap ${b} train`));
    testPreds.push(finiteArray(out.test, `bootstrap ${b} test`));
    inBag.push(bag);
  }
  const signedResiduals = new Float64Array(n);
  const heldOutPredictions: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const oob = inBag.map((bag, b) => (bag[i] ? -1 : b)).filter((b) => b >= 0);
    if (oob.length === 0) {
      throw conformalError(
        'E_INPUT',
        `training point ${i} is in every bootstrap sample; increase numBootstraps`,
      );
    }
    signedResiduals[i] =
      y[i]! -
      aggregate(
        oob.map((b) => trainPreds[b]![i]!),
        opts.aggregation,
      );
    const row = new Float64Array(m);
    for (let t = 0; t < m; t++)
      row[t] = aggregate(
        oob.map((b) => testPreds[b]![t]!),
        opts.aggregation,
      );
    heldOutPredictions.push(row);
  }
  return { signedResiduals, heldOutPredictions };
}
