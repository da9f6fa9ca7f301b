import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';

const schema = z.object({
  temperature: z.number().positive().default(1),
  /** Nucleus sampling: keep the smallest set of most likely tokens whose mass reaches topP. */
  topP: z.number().gt(0).max(1).default(1),
});

export type CategoricalOptions = z.input<typeof schema>;

/**
 * Probabilities (float64) from logits with temperature and top-p. Everything stays in float64: a float32
 * exponential race truncates tiny variates at ~6e-8 and silently lowers the temperature (spec §4.8).
 */
export function categoricalProbabilities(
  logits: ArrayLike<number>,
  options: CategoricalOptions = {},
): Float64Array {
  const { temperature, topP } = parseOptions(PACKAGE_NAME, 'categorical options', schema, options);
  const n = logits.length;
  if (n === 0) throw diffusionError('E_INPUT', 'logits are empty; pass at least one logit per row');
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i]! / temperature);
  if (!Number.isFinite(max)) throw diffusionError('E_INPUT', 'logits need at least one finite value');
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.exp(logits[i]! / temperature - max);
    p[i] = v;
    sum += v;
  }
  for (let i = 0; i < n; i++) p[i] = p[i]! / sum;
  if (topP < 1) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
    let acc = 0;
    let kept = 0;
    const keep = new Uint8Array(n);
    for (const i of order) {
      keep[i] = 1;
      acc += p[i]!;
      kept += p[i]!;
      if (acc >= topP) break;
    }
    for (let i = 0; i < n; i++) p[i] = keep[i] ? p[i]! / kept : 0;
  }
  return p;
}

/** Inverse-CDF draw from (unnormalised, non-negative) float64 weights with a uniform `u` in [0, 1). */
export function sampleCategorical(weights: ArrayLike<number>, u: number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  const target = u * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    acc += w;
    last = i;
    if (target < acc) return i;
  }
  if (last < 0)
    throw diffusionError('E_INPUT', 'categorical weights are all zero; give at least one positive weight');
  return last;
}

/** Prefix sums for many draws from one categorical: O(log n) per draw by binary search. */
export class CategoricalTable {
  private readonly cdf: Float64Array;
  constructor(weights: ArrayLike<number>) {
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0)) throw diffusionError('E_INPUT', `weight ${i} = ${w} is negative or NaN`);
      acc += w;
      this.cdf[i] = acc;
    }
    if (!(acc > 0))
      throw diffusionError('E_INPUT', 'categorical weights are all zero; give at least one positive weight');
  }

  sample(u: number): number {
    const c = this.cdf;
    const target = u * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
