import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { kendallTau } from '../tests/kendall-tau.js';
import { fitBradleyTerry } from './bradley-terry.js';
import { fitPlackettLuce, rankingsFromScores } from './plackett-luce.js';
import { checkScoreMatrix, meanScores, type ScoreMatrix, toPairwise } from './to-pairwise.js';

export const robustnessOptionsSchema = z
  .object({
    fractions: z.array(z.number().min(0).lt(1)).min(1).default([0, 0.5, 0.9, 0.95]),
    seeds: z.array(z.number().int()).min(1).default([0, 1, 2]),
    method: z.enum(['plackett-luce', 'bradley-terry']).default('plackett-luce'),
    /** Regularization of each refit so heavy masking cannot make the MLE infinite. */
    alpha: z.number().min(0).default(0.01),
    tolerance: z.number().positive().default(1e-9),
  })
  .strict();
export type RobustnessOptions = z.input<typeof robustnessOptionsSchema>;

export interface RobustnessPoint {
  readonly fraction: number;
  readonly seed: number;
  /** Kendall τ-b between the refitted strengths and the full-data mean scores. */
  readonly tau: number;
}

/**
 * ONEBench robustness harness: mask a fraction f of each model's measurements at random (seeded), refit
 * Plackett–Luce (or BT on pairwise wins), and compare to the full-data mean-score ranking with Kendall τ-b.
 */
export function robustnessCurve(scores: ScoreMatrix, options: RobustnessOptions = {}): RobustnessPoint[] {
  const o = parseOptions(PACKAGE, 'robustnessCurve options', robustnessOptionsSchema, options);
  const m = checkScoreMatrix(scores);
  const reference = meanScores(scores);
  if (reference.some(Number.isNaN)) throw evalError('E_INPUT', 'every model needs at least one measurement');
  const out: RobustnessPoint[] = [];
  for (const fraction of o.fractions) {
    for (const seed of o.seeds) {
      const masked = scores.map((row, i) => {
        const copy = Float64Array.from(row);
        const measured: number[] = [];
        for (let j = 0; j < m; j++) if (!Number.isNaN(copy[j]!)) measured.push(j);
        const rng = createRandom(seed, 'eval', 'robustness', fraction, i);
        // Partial Fisher–Yates picks round(f · count) measurements to hide.
        const hide = Math.round(fraction * measured.length);
        for (let t = 0; t < hide; t++) {
          const u = t + rng.integer(t, measured.length - t);
          [measured[t], measured[u]] = [measured[u]!, measured[t]!];
          copy[measured[t]!] = Number.NaN;
        }
        return copy;
      });
      const fit =
        o.method === 'plackett-luce'
          ? fitPlackettLuce(rankingsFromScores(masked), scores.length, {
              alpha: o.alpha,
              tolerance: o.tolerance,
            })
          : fitBradleyTerry(toPairwise(masked), { alpha: o.alpha, tolerance: o.tolerance });
      out.push({
        fraction,
        seed,
        tau: kendallTau(fit.logStrengths, reference, { method: 'asymptotic' }).statistic,
      });
    }
  }
  return out;
}
