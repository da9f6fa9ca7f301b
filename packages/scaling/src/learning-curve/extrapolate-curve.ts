import {
  createRandom,
  type DenseMatrix,
  type KeyedRandom,
  mean,
  minimizeLbfgs,
  parseOptions,
  quantile,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME, scalingError } from '../errors.js';
import { ensembleSample } from '../optimize/ensemble-sampler.js';
import { laplaceApproximation, laplaceDraw } from '../optimize/laplace-approximation.js';
import { createLogPosterior, thetaToZ, zToTheta } from './lc-posterior.js';
import { drawValidThetas, LC_DIMENSION, LC_PARAMETERS, lcMean } from './lc-prior.js';

export const extrapolateCurveOptionsSchema = z
  .object({
    /** The x to extrapolate to (e.g. the last epoch of the planned run). */
    horizon: z.number().positive(),
    /** Extra x values to predict at (the horizon is always included, last). */
    at: z.array(z.number().positive()).default([]),
    /** 'increasing' (accuracy-like) or 'decreasing' (loss-like) metric. */
    direction: z.enum(['increasing', 'decreasing']).default('increasing'),
    /** The metric's [worst, best]-free range [lo, hi]; the curve is mapped to [0, 1] as LC-PFN requires. */
    range: z.tuple([z.number(), z.number()]).default([0, 1]),
    /** x is rescaled so the horizon maps to this length (LC-PFN's prior uses epochs 1..100). */
    priorLength: z.number().int().min(2).default(100),
    /** 'mcmc' (affine-invariant ensemble sampler) or 'laplace' (Gaussian around the MAP, numerical Hessian). */
    posterior: z.enum(['mcmc', 'laplace']).default('mcmc'),
    /** Laplace only: posterior draws kept (Gaussian draws outside the prior's support are rejected). */
    laplaceDraws: z.number().int().positive().default(2000),
    /** Laplace only: L-BFGS iterations polishing the MAP to a stationary point before the Hessian. */
    laplaceMapIterations: z.number().int().positive().default(1000),
    /** Laplace only: Hessian step relative to max(1, |z_i|) in unconstrained coordinates. */
    hessianStep: z.number().positive().max(0.1).default(1e-4),
    walkers: z
      .number()
      .int()
      .min(2 * LC_DIMENSION)
      .default(32),
    steps: z.number().int().positive().default(600),
    burn: z.number().int().nonnegative().default(300),
    thin: z.number().int().positive().default(2),
    /** Prior draws scored to seed the MAP search and the walkers. */
    priorDraws: z.number().int().positive().default(300),
    /** Best prior draws refined by L-BFGS (the MAP multi-start). */
    mapStarts: z.number().int().positive().default(4),
    quantiles: z.array(z.number().gt(0).lt(1)).default([0.05, 0.25, 0.5, 0.75, 0.95]),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict()
  .refine((o) => o.burn < o.steps, { message: 'burn must be smaller than steps', path: ['burn'] })
  .refine((o) => o.range[1] > o.range[0], {
    message: 'range must be [lo, hi] with lo < hi',
    path: ['range'],
  });

export type ExtrapolateCurveOptions = z.input<typeof extrapolateCurveOptionsSchema>;

export interface CurveExtrapolation {
  /** Query x values (user units), the horizon last. */
  readonly at: readonly number[];
  /** Posterior predictive mean (noise included) at each query x. */
  readonly mean: readonly number[];
  /** Posterior predictive quantiles: one row per requested level. */
  readonly quantiles: readonly { readonly level: number; readonly values: readonly number[] }[];
  /** Posterior predictive draws at the horizon (user units). */
  readonly horizonSamples: Float64Array;
  /** Normalised-space noise-free mean and noise sd of each posterior draw at the horizon (for densities). */
  readonly horizonDraws: { readonly mean: Float64Array; readonly sigma: Float64Array };
  /** The MAP estimate (natural parameters, LC_PARAMETERS order) and its log posterior. */
  readonly map: { readonly theta: readonly number[]; readonly logPosterior: number };
  readonly parameterNames: readonly string[];
  readonly posterior: 'mcmc' | 'laplace';
  /**
   * MCMC: the sampler's acceptance rate. Laplace: the fraction of Gaussian draws inside the prior's support
   * (the rest are rejected, as the posterior is zero there).
   */
  readonly acceptanceRate: number;
  /** Laplace only: the Gaussian in unconstrained coordinates z (θ = sigmoid/exp of z, LC_PARAMETERS order). */
  readonly laplace?: {
    readonly mean: readonly number[];
    readonly covariance: DenseMatrix;
    /** Diagonal jitter added to the Hessian to make it positive definite (0 when none was needed). */
    readonly jitter: number;
  };
  readonly options: z.output<typeof extrapolateCurveOptionsSchema>;
}

/** Maps user values to LC-PFN's normalised, increasing [0, 1] scale and back. */
function scaler(direction: 'increasing' | 'decreasing', [lo, hi]: readonly [number, number]) {
  const width = hi - lo;
  return direction === 'increasing'
    ? { to: (v: number) => (v - lo) / width, from: (u: number) => lo + width * u, scale: width }
    : { to: (v: number) => (hi - v) / width, from: (u: number) => hi - width * u, scale: width };
}

/**
 * Extrapolates a learning curve with LC-PFN's parametric prior (pow3 + ilog2 + janoschek, weighted), without
 * the network: MAP by multi-start L-BFGS from the best prior draws, then either an affine-invariant ensemble
 * sampler over all 13 parameters (weights, curve parameters, noise) or, with `posterior: 'laplace'`, draws from
 * a Gaussian around the MAP (inverse numerical Hessian); returns posterior predictive quantiles.
 */
export function extrapolateCurve(
  curve: { readonly x?: ArrayLike<number>; readonly y: ArrayLike<number> },
  options: ExtrapolateCurveOptions,
): CurveExtrapolation {
  const o = parseOptions(PACKAGE_NAME, 'options', extrapolateCurveOptionsSchema, options);
  const n = curve.y.length;
  if (n < 2) throw scalingError('E_INPUT', `the curve has ${n} points; give at least 2 observed points`);
  const xs = curve.x ?? Float64Array.from({ length: n }, (_, i) => i + 1);
  if (xs.length !== n) throw scalingError('E_INPUT', `x has ${xs.length} values but y has ${n}`);
  const s = scaler(o.direction, o.range);
  const scale = o.priorLength / o.horizon;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = xs[i]!;
    const yi = curve.y[i]!;
    if (!(Number.isFinite(xi) && xi > 0))
      throw scalingError('E_INPUT', `x[${i}] = ${xi} must be finite and > 0`);
    if (!Number.isFinite(yi)) throw scalingError('E_INPUT', `y[${i}] = ${yi} must be finite`);
    if (xi > o.horizon) throw scalingError('E_INPUT', `x[${i}] = ${xi} lies beyond the horizon ${o.horizon}`);
    x[i] = xi * scale;
    y[i] = s.to(yi);
  }
  const data = { x, y, horizon: o.priorLength };
  const logPost = createLogPosterior(data);
  const penalised = createLogPosterior(data, true);
  const rng = createRandom(o.seed, 'lc-extrapolate');

  // Score prior draws; the best seed the MAP search and the walkers (all inside the constraint set).
  const candidates = drawValidThetas(rng.derive('prior'), o.priorDraws, o.priorLength, o.priorDraws * 200)
    .map((theta) => thetaToZ(theta))
    .map((zz) => ({ z: zz, lp: logPost(zz) }))
    .filter((c) => Number.isFinite(c.lp))
    .sort((a, b) => b.lp - a.lp);
  if (candidates.length < 2) {
    throw scalingError(
      'E_NUMERIC',
      'could not draw valid curves from the prior; check --range and --direction',
    );
  }
  // MAP multi-start on the penalised log posterior with central-difference gradients.
  const negLogPost = (zz: Float64Array, g: Float64Array): number => {
    const f0 = -penalised(zz);
    for (let i = 0; i < LC_DIMENSION; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(zz[i]!));
      const v = zz[i]!;
      zz[i] = v + h;
      const fp = -penalised(zz);
      zz[i] = v - h;
      const fm = -penalised(zz);
      zz[i] = v;
      g[i] = (fp - fm) / (2 * h);
    }
    return f0;
  };
  let map = candidates[0]!;
  for (const start of candidates.slice(0, o.mapStarts)) {
    const r = minimizeLbfgs(negLogPost, start.z, { maxIterations: 60, gradientTolerance: 1e-6 });
    const lp = logPost(r.x);
    if (Number.isFinite(lp) && lp > map.lp) map = { z: r.x, lp };
  }
  if (o.posterior === 'laplace') {
    // The Gaussian is only meaningful at a stationary point: polish the MAP much further than MCMC needs.
    const r = minimizeLbfgs(negLogPost, map.z, {
      maxIterations: o.laplaceMapIterations,
      gradientTolerance: 1e-8,
    });
    const lp = logPost(r.x);
    if (Number.isFinite(lp) && lp > map.lp) map = { z: r.x, lp };
  }
  const posterior =
    o.posterior === 'laplace'
      ? sampleLaplace(penalised, logPost, map.z, rng, o.laplaceDraws, o.hessianStep)
      : sampleMcmc(logPost, map.z, candidates, rng, o);

  const at = [...o.at.filter((v) => v !== o.horizon), o.horizon];
  const noise = rng.derive('predictive');
  const theta = new Float64Array(LC_DIMENSION);
  const draws = at.map(() => new Float64Array(posterior.samples.length));
  const horizonMean = new Float64Array(posterior.samples.length);
  const horizonSigma = new Float64Array(posterior.samples.length);
  posterior.samples.forEach((zz, k) => {
    zToTheta(zz, theta);
    at.forEach((q, j) => {
      const m = lcMean(theta, q * scale);
      if (j === at.length - 1) {
        horizonMean[k] = m;
        horizonSigma[k] = theta[12]!;
      }
      draws[j]![k] = s.from(m + theta[12]! * noise.normal(k * at.length + j));
    });
  });
  return {
    at,
    mean: draws.map((d) => mean(d)),
    quantiles: o.quantiles.map((level) => ({ level, values: draws.map((d) => quantile(d, level)) })),
    horizonSamples: draws[draws.length - 1]!,
    horizonDraws: { mean: horizonMean, sigma: horizonSigma },
    map: { theta: Array.from(zToTheta(map.z)), logPosterior: map.lp },
    parameterNames: LC_PARAMETERS,
    posterior: o.posterior,
    acceptanceRate: posterior.acceptanceRate,
    ...(posterior.laplace ? { laplace: posterior.laplace } : {}),
    options: o,
  };
}

interface PosteriorSamples {
  readonly samples: readonly Float64Array[];
  readonly acceptanceRate: number;
  readonly laplace?: NonNullable<CurveExtrapolation['laplace']>;
}

function sampleMcmc(
  logPost: (z: Float64Array) => number,
  mapZ: Float64Array,
  candidates: readonly { readonly z: Float64Array }[],
  rng: KeyedRandom,
  o: z.output<typeof extrapolateCurveOptionsSchema>,
): PosteriorSamples {
  // Walkers start in a small ball around the MAP (emcee's usual start), redrawn until inside the constraints.
  const ball = rng.derive('walkers');
  const initial: Float64Array[] = [mapZ];
  for (let attempt = 0; initial.length < o.walkers; attempt++) {
    const source = attempt < o.walkers * 50 ? mapZ : candidates[attempt % candidates.length]!.z;
    const zz = Float64Array.from(source, (v, i) => v + 1e-3 * ball.normal(attempt * LC_DIMENSION + i));
    if (Number.isFinite(logPost(zz))) initial.push(zz);
  }
  return ensembleSample(logPost, initial, rng.derive('mcmc'), {
    steps: o.steps,
    burn: o.burn,
    thin: o.thin,
  });
}

/**
 * Laplace: a Gaussian in z around the MAP with the inverse numerical Hessian of the (penalised, hence finite)
 * negative log posterior as covariance. Draws outside the prior's support are rejected.
 */
function sampleLaplace(
  penalised: (z: Float64Array) => number,
  logPost: (z: Float64Array) => number,
  mapZ: Float64Array,
  rng: KeyedRandom,
  draws: number,
  hessianStep: number,
): PosteriorSamples {
  const approx = laplaceApproximation(penalised, mapZ, { relativeStep: hessianStep });
  const source = rng.derive('laplace');
  const samples: Float64Array[] = [];
  const maxAttempts = 50 * draws;
  let attempts = 0;
  while (samples.length < draws && attempts < maxAttempts) {
    const zz = laplaceDraw(approx, source, attempts++);
    if (Number.isFinite(logPost(zz))) samples.push(zz);
  }
  if (samples.length === 0) {
    throw scalingError(
      'E_NUMERIC',
      `Laplace: none of ${attempts} Gaussian draws around the MAP lies inside the prior's support; use posterior 'mcmc'`,
    );
  }
  return {
    samples,
    acceptanceRate: samples.length / attempts,
    laplace: { mean: Array.from(approx.mean), covariance: approx.covariance, jitter: approx.jitter },
  };
}
