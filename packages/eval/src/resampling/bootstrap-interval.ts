import { normalCdf, normalQuantile, parseOptions, quantile, variance } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { roundHalfEven } from '../stats-utils.js';
import { finiteArray } from '../validate.js';

export const bootstrapIntervalOptionsSchema = z
  .object({
    method: z.enum(['percentile', 'basic', 'bca']).default('bca'),
    confidence: z.number().gt(0).lt(1).default(0.95),
    /**
     * 'linear': numpy-linear percentiles (scipy `bootstrap`); 'mlxtend': sorted[round(q·B) − 1] with Python's
     * half-to-even round, clipped to [0, B−1] (mlxtend `bootstrap`).
     */
    percentileRule: z.enum(['linear', 'mlxtend']).default('linear'),
    /** Leave-one-out statistics θ₍ᵢ₎ for the BCa acceleration (required for 'bca'). */
    jackknife: z.array(z.number()).optional(),
    /** ddof of the replicate standard deviation. */
    ddof: z.number().int().min(0).default(1),
  })
  .strict();
export type BootstrapIntervalOptions = z.input<typeof bootstrapIntervalOptionsSchema>;

export interface BootstrapInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Standard deviation of the replicates (bootstrap standard error). */
  readonly se: number;
  /** Quantile levels actually used (BCa-adjusted for 'bca'). */
  readonly levels: readonly [number, number];
}

/** BCa acceleration â = Σ(θ̄ − θᵢ)³ / (6 (Σ(θ̄ − θᵢ)²)^{3/2}) from jackknife values. */
export function bcaAcceleration(jackknife: ArrayLike<number>): number {
  const n = jackknife.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += jackknife[i]!;
  m /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = m - jackknife[i]!;
    num += d * d * d;
    den += d * d;
  }
  return den === 0 ? 0 : num / (6 * den ** 1.5);
}

/**
 * Pure "interval from replicates": percentile, basic or BCa confidence interval given the point estimate θ̂
 * and bootstrap replicates θ* (and jackknife values for BCa), so results can be pinned in tests.
 */
export function bootstrapInterval(
  estimate: number,
  replicates: ArrayLike<number>,
  options: BootstrapIntervalOptions = {},
): BootstrapInterval {
  const o = parseOptions(PACKAGE, 'bootstrapInterval options', bootstrapIntervalOptionsSchema, options);
  if (!Number.isFinite(estimate)) throw evalError('E_INPUT', `estimate must be finite, got ${estimate}`);
  const sorted = finiteArray('replicates', replicates, 2).sort();
  const B = sorted.length;
  const se = Math.sqrt(variance(sorted, o.ddof));
  const tail = (1 - o.confidence) / 2;
  let levels: [number, number] = [tail, 1 - tail];
  if (o.method === 'bca') {
    if (!o.jackknife || o.jackknife.length < 2) {
      throw evalError(
        'E_INPUT',
        "method 'bca' needs jackknife values (the statistic on each leave-one-out sample)",
      );
    }
    let below = 0;
    let atOrBelow = 0;
    for (const v of sorted) {
      if (v < estimate) below++;
      if (v <= estimate) atOrBelow++;
    }
    // scipy's percentile-of-score: (#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B.
    const z0 = normalQuantile((below + atOrBelow) / (2 * B));
    if (!Number.isFinite(z0)) {
      throw evalError(
        'E_NUMERIC',
        'all bootstrap replicates lie on one side of the estimate; the BCa bias correction is infinite (use percentile)',
      );
    }
    const a = bcaAcceleration(o.jackknife);
    const adjust = (level: number): number => {
      const zl = normalQuantile(level);
      return normalCdf(z0 + (z0 + zl) / (1 - a * (z0 + zl)));
    };
    levels = [adjust(tail), adjust(1 - tail)];
  }
  const pick = (q: number): number => {
    if (o.percentileRule === 'linear') return quantile(sorted, q);
    const index = Math.min(B - 1, Math.max(0, roundHalfEven(q * B) - 1));
    return sorted[index]!;
  };
  let low = pick(levels[0]);
  let high = pick(levels[1]);
  if (o.method === 'basic') [low, high] = [2 * estimate - high, 2 * estimate - low];
  return { estimate, low, high, se, levels };
}
