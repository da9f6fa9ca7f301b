import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { type BootstrapInterval, bootstrapInterval } from './bootstrap-interval.js';

export const bootstrapOptionsSchema = z
  .object({
    rounds: z.number().int().min(2).default(1000),
    method: z.enum(['percentile', 'basic', 'bca']).default('bca'),
    confidence: z.number().gt(0).lt(1).default(0.95),
    percentileRule: z.enum(['linear', 'mlxtend']).default('linear'),
    ddof: z.number().int().min(0).default(1),
    seed: z.number().int().default(0),
  })
  .strict();
export type BootstrapOptions = z.input<typeof bootstrapOptionsSchema>;

export interface BootstrapResult extends BootstrapInterval {
  readonly replicates: Float64Array;
}

/**
 * Seeded nonparametric bootstrap of `statistic` over the items of `data` (pass pairs/rows as items for a
 * paired bootstrap). Replicate r draws item indices from `createRandom(seed, 'eval', 'bootstrap', r)`.
 */
export function bootstrap<T>(
  data: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const o = parseOptions(PACKAGE, 'bootstrap options', bootstrapOptionsSchema, options);
  const n = data.length;
  if (n < 2) throw evalError('E_INPUT', `bootstrap needs at least 2 data items, got ${n}`);
  const estimate = statistic(data);
  const replicates = new Float64Array(o.rounds);
  const sample = new Array<T>(n);
  for (let r = 0; r < o.rounds; r++) {
    const rng = createRandom(o.seed, 'eval', 'bootstrap', r);
    for (let i = 0; i < n; i++) sample[i] = data[rng.integer(i, n)]!;
    replicates[r] = statistic(sample);
  }
  let jackknife: number[] | undefined;
  if (o.method === 'bca') {
    jackknife = [];
    for (let i = 0; i < n; i++) jackknife.push(statistic([...data.slice(0, i), ...data.slice(i + 1)]));
  }
  const interval = bootstrapInterval(estimate, replicates, {
    method: o.method,
    confidence: o.confidence,
    percentileRule: o.percentileRule,
    ddof: o.ddof,
    ...(jackknife ? { jackknife } : {}),
  });
  return { ...interval, replicates };
}
