import { createRandom, parseOptions, quantile } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { type Battle, battleWins, indexBattles } from './battles.js';
import { fitBradleyTerry } from './bradley-terry.js';
import { eloCore, eloOptionsSchema } from './elo.js';

export const arenaOptionsSchema = z
  .object({
    method: z.enum(['bradley-terry', 'elo']).default('bradley-terry'),
    /** Bootstrap rounds over battles (0 = no intervals). */
    rounds: z.number().int().min(0).default(1000),
    confidence: z.number().gt(0).lt(1).default(0.95),
    seed: z.number().int().default(0),
    /** Shift ratings so this model has `anchorRating` (bradley-terry only). */
    anchor: z.object({ model: z.string(), rating: z.number() }).strict().optional(),
    /** Pseudo-wins each way per pair for the full-data BT fit (0 = plain MLE; error if disconnected). */
    alpha: z.number().min(0).default(0),
    /** Regularization floor of bootstrap refits, so resamples that lose a comparison stay finite. */
    bootstrapAlpha: z.number().min(0).default(1e-3),
    elo: eloOptionsSchema.partial().default({}),
  })
  .strict();
export type ArenaOptions = z.input<typeof arenaOptionsSchema>;

export interface ArenaRating {
  readonly model: string;
  /** Full-data rating on the Elo scale. */
  readonly rating: number;
  /** Bootstrap percentile interval (null without rounds). */
  readonly low: number | null;
  readonly high: number | null;
  readonly median: number | null;
}

/**
 * Chatbot-Arena style ratings: Bradley–Terry MLE on the Elo scale (rating = 1000 + 400·log₁₀-strength, mean
 * 1000 unless anchored) or online Elo; bootstrap CIs resample battles with replacement (seeded), refitting each.
 */
export function arenaRatings(battles: readonly Battle[], options: ArenaOptions = {}): ArenaRating[] {
  const o = parseOptions(PACKAGE, 'arenaRatings options', arenaOptionsSchema, options);
  const elo = eloOptionsSchema.parse(o.elo);
  const { names, a, b, outcome } = indexBattles(battles);
  const n = names.length;
  const anchorIndex = o.anchor ? names.indexOf(o.anchor.model) : -1;
  if (o.anchor && anchorIndex < 0)
    throw evalError('E_INPUT', `anchor model '${o.anchor.model}' does not appear in any battle`);
  const refit = (order?: Int32Array): Float64Array => {
    if (o.method === 'elo') return eloCore(n, a, b, outcome, elo, order);
    const alpha = order ? Math.max(o.alpha, o.bootstrapAlpha) : o.alpha;
    const s = fitBradleyTerry(battleWins(n, a, b, outcome, order), { alpha }, names).logStrengths;
    const ratings = Float64Array.from(s, (v) => elo.initialRating + (elo.scale * v) / Math.log(elo.base));
    if (anchorIndex >= 0) {
      const shift = o.anchor!.rating - ratings[anchorIndex]!;
      for (let i = 0; i < n; i++) ratings[i] = ratings[i]! + shift;
    }
    return ratings;
  };
  const full = refit();
  const samples = Array.from({ length: n }, () => new Float64Array(o.rounds));
  for (let r = 0; r < o.rounds; r++) {
    const rng = createRandom(o.seed, 'eval', 'arena-bootstrap', r);
    const order = new Int32Array(a.length);
    for (let t = 0; t < order.length; t++) order[t] = rng.integer(t, a.length);
    const ratings = refit(order);
    for (let i = 0; i < n; i++) samples[i]![r] = ratings[i]!;
  }
  const tail = (1 - o.confidence) / 2;
  return names.map((model, i) => {
    if (o.rounds === 0) return { model, rating: full[i]!, low: null, high: null, median: null };
    const sorted = samples[i]!.sort();
    return {
      model,
      rating: full[i]!,
      low: quantile(sorted, tail),
      high: quantile(sorted, 1 - tail),
      median: quantile(sorted, 0.5),
    };
  });
}
