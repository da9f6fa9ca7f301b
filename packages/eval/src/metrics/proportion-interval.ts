import { betaQuantile, normalQuantile, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';

export const proportionIntervalOptionsSchema = z
  .object({
    method: z.enum(['wilson', 'clopper-pearson', 'normal']).default('wilson'),
    confidence: z.number().gt(0).lt(1).default(0.95),
  })
  .strict();
export type ProportionIntervalOptions = z.input<typeof proportionIntervalOptionsSchema>;

/**
 * Confidence interval for a proportion (e.g. accuracy = k/n): Wilson score, Clopper–Pearson exact, or the
 * normal approximation p ± z√(p(1−p)/n) (clipped to [0, 1]).
 */
export function proportionInterval(
  successes: number,
  n: number,
  options: ProportionIntervalOptions = {},
): { low: number; high: number } {
  const { method, confidence } = parseOptions(
    PACKAGE,
    'proportionInterval options',
    proportionIntervalOptionsSchema,
    options,
  );
  if (!Number.isInteger(n) || n < 1) throw evalError('E_INPUT', `n must be a positive integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw evalError('E_INPUT', `successes must be an integer in [0, ${n}], got ${successes}`);
  const alpha = 1 - confidence;
  const p = successes / n;
  if (method === 'clopper-pearson') {
    return {
      low: successes === 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1),
      high: successes === n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes),
    };
  }
  const z = normalQuantile(1 - alpha / 2);
  if (method === 'normal') {
    const half = z * Math.sqrt((p * (1 - p)) / n);
    return { low: Math.max(0, p - half), high: Math.min(1, p + half) };
  }
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: successes === 0 ? 0 : center - half, high: successes === n ? 1 : center + half };
}
