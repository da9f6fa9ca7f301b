import { type LbfgsStatus, minimizeLbfgs, normalSf, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { prepareChinchillaData } from './chinchilla-data.js';
import { type ChinchillaParams, fromLogVector, toLogVector } from './chinchilla-params.js';
import { chinchillaPresets } from './chinchilla-presets.js';
import { type ChinchillaPoints, chinchillaPointsSchema } from './fit-chinchilla-options.js';

const optionsSchema = z
  .object({
    delta: z.number().positive().default(1e-3),
    dropHighestLoss: z.number().int().nonnegative().default(0),
    /** Extra starting points (e.g. a Huber-loss grid fit); Hoffmann's TeX values are always tried (as Epoch did). */
    starts: z
      .array(
        z
          .object({ E: z.number(), A: z.number(), B: z.number(), alpha: z.number(), beta: z.number() })
          .strict(),
      )
      .default([]),
  })
  .strict();

export interface HuberLikelihoodFit {
  readonly params: ChinchillaParams;
  /** The learned scale s of the Huber density on log-loss residuals. */
  readonly scale: number;
  /** Negative log-likelihood at the optimum. */
  readonly negativeLogLikelihood: number;
  readonly gradientNorm: number;
  readonly status: LbfgsStatus;
}

/** Normaliser of the Huber density exp(−huber_δ(u)): √(2π)(1 − 2Φ(−δ)) + 2·exp(−δ²/2)/δ. */
export function huberNormalizer(delta: number): number {
  return Math.sqrt(2 * Math.PI) * (1 - 2 * normalSf(delta)) + (2 * Math.exp(-0.5 * delta * delta)) / delta;
}

/**
 * Epoch's headline estimator: maximise the likelihood of log L under a Huber density with a learned scale,
 * log p(r) = −huber_δ(r/s) − log s − log Z(δ), over [a, b, e, alpha, beta, log s] by L-BFGS from Hoffmann's
 * parameters (and any extra starts). With δ = 1e-3 the density is Laplace-like, so this behaves like a
 * least-absolute-deviation fit.
 */
export function fitChinchillaHuberLikelihood(
  points: ChinchillaPoints,
  options: z.input<typeof optionsSchema> = {},
): HuberLikelihoodFit {
  const input = parseOptions(PACKAGE_NAME, 'points', chinchillaPointsSchema, points);
  const o = parseOptions(PACKAGE_NAME, 'options', optionsSchema, options);
  const data = prepareChinchillaData(input.params, input.tokens, input.loss, o.dropHighestLoss, 6);
  const { logN, logD, logLoss } = data;
  const n = logN.length;
  const delta = o.delta;
  const logZ = Math.log(huberNormalizer(delta));
  const nll = (x: Float64Array, g: Float64Array): number => {
    const [a, b, e, alpha, beta, ls] = [x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!];
    const s = Math.exp(ls);
    let f = 0;
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const t1 = a - alpha * logN[i]!;
      const t2 = b - beta * logD[i]!;
      const m = Math.max(t1, t2, e);
      const w1 = Math.exp(t1 - m);
      const w2 = Math.exp(t2 - m);
      const w3 = Math.exp(e - m);
      const sum = w1 + w2 + w3;
      const u = (logLoss[i]! - (m + Math.log(sum))) / s;
      const au = Math.abs(u);
      const dh = au <= delta ? u : u > 0 ? delta : -delta;
      f += au <= delta ? 0.5 * u * u : delta * (au - 0.5 * delta);
      // d/dpred = −h'(u)/s; d/dlog s = −h'(u)·u.
      const c = -dh / s / sum;
      g[0] = g[0]! + c * w1;
      g[1] = g[1]! + c * w2;
      g[2] = g[2]! + c * w3;
      g[3] = g[3]! - c * w1 * logN[i]!;
      g[4] = g[4]! - c * w2 * logD[i]!;
      g[5] = g[5]! - dh * u;
    }
    g[5] = g[5]! + n;
    return f + n * (ls + logZ);
  };
  const starts = [chinchillaPresets['hoffmann-tex'], ...o.starts];
  let best: { x: Float64Array; value: number; gradientNorm: number; status: LbfgsStatus } | undefined;
  for (const start of starts) {
    const x0 = toLogVector(start);
    // Initial scale: the Laplace-regime MLE s = δ·mean|r|.
    let absSum = 0;
    for (let i = 0; i < n; i++) {
      const t1 = x0[0]! - x0[3]! * logN[i]!;
      const t2 = x0[1]! - x0[4]! * logD[i]!;
      const m = Math.max(t1, t2, x0[2]!);
      absSum += Math.abs(
        logLoss[i]! - (m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m) + Math.exp(x0[2]! - m))),
      );
    }
    const init = Float64Array.of(...x0, Math.log(Math.max(1e-300, (delta * absSum) / n)));
    const r = minimizeLbfgs(nll, init, { gradientTolerance: 1e-8, functionTolerance: 0 });
    if (Number.isFinite(r.value) && (best === undefined || r.value < best.value)) best = r;
  }
  const x = best!.x;
  return {
    params: fromLogVector(x),
    scale: Math.exp(x[5]!),
    negativeLogLikelihood: best!.value,
    gradientNorm: best!.gradientNorm,
    status: best!.status,
  };
}
