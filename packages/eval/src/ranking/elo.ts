import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE } from '../errors.js';
import { type Battle, indexBattles } from './battles.js';

export const eloOptionsSchema = z
  .object({
    k: z.number().positive().default(4),
    initialRating: z.number().default(1000),
    scale: z.number().positive().default(400),
    base: z.number().gt(1).default(10),
  })
  .strict();
export type EloOptions = z.input<typeof eloOptionsSchema>;

/** Online Elo in battle order as in Chatbot Arena (K = 4, start 1000, tie = ½). Order-dependent. */
export function eloCore(
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  outcome: ArrayLike<number>,
  o: z.output<typeof eloOptionsSchema>,
  order?: ArrayLike<number>,
): Float64Array {
  const ratings = new Float64Array(n).fill(o.initialRating);
  const count = order ? order.length : a.length;
  for (let t = 0; t < count; t++) {
    const k = order ? order[t]! : t;
    const ra = ratings[a[k]!]!;
    const rb = ratings[b[k]!]!;
    const ea = 1 / (1 + o.base ** ((rb - ra) / o.scale));
    const s = outcome[k]!;
    ratings[a[k]!] = ra + o.k * (s - ea);
    ratings[b[k]!] = rb + o.k * (1 - s - (1 - ea));
  }
  return ratings;
}

/** Online Elo ratings keyed by model name. */
export function eloOnline(battles: readonly Battle[], options: EloOptions = {}): Record<string, number> {
  const o = parseOptions(PACKAGE, 'eloOnline options', eloOptionsSchema, options);
  const { names, a, b, outcome } = indexBattles(battles);
  const r = eloCore(names.length, a, b, outcome, o);
  return Object.fromEntries(names.map((name, i) => [name, r[i]!]));
}
