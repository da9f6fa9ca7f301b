import { createRandom, parseOptions, spearmanCorrelation } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME, scalingError } from '../errors.js';
import { sampleDirichlet } from './dirichlet.js';
import { fitLinearRegressor } from './linear-regressor.js';
import { fitGradientBoosting, type Regressor } from './regression-tree-ensemble.js';

/** RegMix's prior: domain token shares raised to `temperature` (0.5) and renormalised. */
export function regmixPrior(tokenShares: ArrayLike<number>, temperature = 0.5): Float64Array {
  const out = Float64Array.from(tokenShares, (v, i) => {
    if (!(v > 0 && Number.isFinite(v))) throw scalingError('E_INPUT', `tokenShares[${i}] = ${v} must be > 0`);
    return v ** temperature;
  });
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

const sampleMixturesSchema = z
  .object({
    /** The prior p (sums to 1). */
    prior: z.array(z.number().positive()).min(2),
    count: z.number().int().positive(),
    /** Dirichlet strength s is drawn uniformly (in log space) from this range; alpha = p·s. */
    strengthRange: z.tuple([z.number().positive(), z.number().positive()]).default([0.1, 5]),
    /** Weights below this are set to 0 and the rest renormalised (RegMix: 2e-4). */
    minWeight: z.number().nonnegative().default(2e-4),
    /** Reject a mixture that would repeat a domain more than this many epochs… */
    maxEpochs: z.number().positive().optional(),
    /** …given the tokens available per domain and the target run's token budget. */
    availableTokens: z.array(z.number().positive()).optional(),
    targetTokens: z.number().positive().optional(),
    seed: z.number().int().nonnegative(),
  })
  .strict();

/**
 * RegMix's mixture sampler: Dirichlet(p·s) with a random strength, tiny weights zeroed, and mixtures that
 * would over-repeat a small domain rejected.
 */
export function sampleMixtures(options: z.input<typeof sampleMixturesSchema>): Float64Array[] {
  const o = parseOptions(PACKAGE_NAME, 'options', sampleMixturesSchema, options);
  const k = o.prior.length;
  const epochsCheck =
    o.maxEpochs !== undefined && o.availableTokens !== undefined && o.targetTokens !== undefined;
  if (epochsCheck && o.availableTokens!.length !== k) {
    throw scalingError('E_INPUT', `availableTokens has ${o.availableTokens!.length} domains, prior has ${k}`);
  }
  const stream = createRandom(o.seed, 'regmix-mixtures').stream();
  const [lo, hi] = o.strengthRange;
  const out: Float64Array[] = [];
  const alpha = new Float64Array(k);
  for (let attempt = 0; out.length < o.count; attempt++) {
    if (attempt > o.count * 1000) {
      throw scalingError(
        'E_INPUT',
        'almost every sampled mixture breaks maxEpochs; raise it or the available tokens',
      );
    }
    const s = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * stream.uniform());
    for (let i = 0; i < k; i++) alpha[i] = o.prior[i]! * s;
    const w = sampleDirichlet(alpha, stream);
    let sum = 0;
    for (let i = 0; i < k; i++) {
      if (w[i]! < o.minWeight) w[i] = 0;
      sum += w[i]!;
    }
    if (sum === 0) continue;
    for (let i = 0; i < k; i++) w[i] = w[i]! / sum;
    if (epochsCheck && w.some((wi, i) => (wi * o.targetTokens!) / o.availableTokens![i]! > o.maxEpochs!))
      continue;
    out.push(w);
  }
  return out;
}

const regmixSchema = z
  .object({
    /** 'gbdt' (gradient-boosted trees, RegMix's LightGBM role) or 'linear' (ridge). */
    regressor: z.enum(['gbdt', 'linear']).default('gbdt'),
    /** Mixtures simulated from the prior (RegMix: 100,000). */
    simulate: z.number().int().positive().default(100_000),
    /** Best predicted mixtures averaged (RegMix: 128). */
    topK: z.number().int().positive().default(128),
    /** Simulation prior; defaults to the mean of the training mixtures. */
    prior: z.array(z.number().positive()).optional(),
    strengthRange: z.tuple([z.number().positive(), z.number().positive()]).default([0.1, 5]),
    seed: z.number().int().nonnegative().default(0),
    gbdt: z
      .object({
        rounds: z.number().int().positive().optional(),
        learningRate: z.number().positive().optional(),
        maxDepth: z.number().int().positive().optional(),
        minLeaf: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type RegmixOptions = z.input<typeof regmixSchema>;

export interface RegmixResult {
  /** The chosen mixture: the mean of the top-k simulated mixtures. */
  readonly mixture: Float64Array;
  /** The regressor's prediction for the chosen mixture. */
  readonly predictedLoss: number;
  /** Mean predicted loss of the top-k mixtures. */
  readonly topKMeanLoss: number;
  /** Spearman rank correlation of in-sample predictions with the observed losses. */
  readonly trainSpearman: number;
  readonly regressor: Regressor;
}

/** Spearman's rank correlation (average ranks for ties): core-tensor's `spearmanCorrelation`. */
export const spearman: (a: ArrayLike<number>, b: ArrayLike<number>) => number = spearmanCorrelation;

/**
 * RegMix: regress a target loss on mixture weights from small proxy runs, predict the loss of many mixtures
 * drawn from the prior, and return the average of the top-k (lowest predicted loss).
 */
export function regmix(
  mixtures: readonly ArrayLike<number>[],
  losses: ArrayLike<number>,
  options: RegmixOptions = {},
): RegmixResult {
  const o = parseOptions(PACKAGE_NAME, 'options', regmixSchema, options);
  const n = mixtures.length;
  if (n !== losses.length) throw scalingError('E_INPUT', `${n} mixtures but ${losses.length} losses`);
  const k = mixtures[0]?.length ?? 0;
  if (n < k + 2) throw scalingError('E_INPUT', `${n} proxy runs for ${k} domains; give at least ${k + 2}`);
  const x = new Float64Array(n * k);
  mixtures.forEach((m, i) => {
    if (m.length !== k) throw scalingError('E_INPUT', `mixture ${i} has ${m.length} weights, expected ${k}`);
    for (let j = 0; j < k; j++) {
      const v = m[j]!;
      if (!(v >= 0 && Number.isFinite(v)))
        throw scalingError('E_INPUT', `mixture ${i} weight ${j} = ${v} must be >= 0`);
      x[i * k + j] = v;
    }
    if (!Number.isFinite(losses[i]!))
      throw scalingError('E_INPUT', `loss ${i} = ${losses[i]} must be finite`);
  });
  const model =
    o.regressor === 'linear'
      ? fitLinearRegressor(x, losses, k)
      : fitGradientBoosting(x, losses, k, { ...o.gbdt, seed: o.seed });
  const fitted = Array.from({ length: n }, (_, i) => model.predict(x.subarray(i * k, i * k + k)));
  const prior =
    o.prior ??
    Array.from({ length: k }, (_, j) => Math.max(1e-6, mixtures.reduce((s, m) => s + m[j]!, 0) / n));
  if (prior.length !== k)
    throw scalingError('E_INPUT', `prior has ${prior.length} domains, mixtures have ${k}`);
  const sum = prior.reduce((a, b) => a + b, 0);
  const simulated = sampleMixtures({
    prior: prior.map((v) => v / sum),
    count: o.simulate,
    strengthRange: o.strengthRange,
    seed: o.seed,
  });
  const predicted = simulated.map((m) => model.predict(m));
  const order = predicted.map((_, i) => i).sort((a, b) => predicted[a]! - predicted[b]!);
  const top = order.slice(0, Math.min(o.topK, order.length));
  const mixture = new Float64Array(k);
  let topLoss = 0;
  for (const i of top) {
    for (let j = 0; j < k; j++) mixture[j] = mixture[j]! + simulated[i]![j]! / top.length;
    topLoss += predicted[i]! / top.length;
  }
  return {
    mixture,
    predictedLoss: model.predict(mixture),
    topKMeanLoss: topLoss,
    trainSpearman: spearman(fitted, losses),
    regressor: model,
  };
}
