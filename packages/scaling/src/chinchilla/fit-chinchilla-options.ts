import { z } from 'zod';

// Values are checked one by one later (NaN, ≤ 0) so the message can name the run; here only the shape.
const finiteArray = z.custom<readonly number[] | Float64Array>(
  (value) =>
    value instanceof Float64Array || (Array.isArray(value) && value.every((v) => typeof v === 'number')),
  { message: 'expected an array of numbers' },
);

export const chinchillaPointsSchema = z.object({
  /** N: parameter counts, one per run (> 0). */
  params: finiteArray,
  /** D: training tokens, one per run (> 0). */
  tokens: finiteArray,
  /** Final loss of each run (> 0). */
  loss: finiteArray,
});

export const fitChinchillaOptionsSchema = z
  .object({
    /** Huber δ on log-loss residuals (Hoffmann and Epoch use 1e-3). */
    delta: z.number().positive().default(1e-3),
    /** 'sum' (Epoch, default) or 'mean' (reproduces Hoffmann's early stop; warns). */
    reduce: z.enum(['sum', 'mean']).default('sum'),
    /**
     * 'grid' = the 4,500-point Hoffmann/Epoch grid; a number = that many seeded uniform draws inside the grid's
     * box; or explicit [a, b, e, alpha, beta] starts.
     */
    starts: z
      .union([z.literal('grid'), z.number().int().positive(), z.array(z.array(z.number()).length(5)).min(1)])
      .default('grid'),
    /** Seed for random starts (`starts: number`). */
    seed: z.number().int().nonnegative().default(0),
    /** Drop the K highest-loss runs first, as Epoch does with K = 5 (keeps loss < sorted(loss)[−K]). */
    dropHighestLoss: z.number().int().nonnegative().default(0),
    /** scipy-compatible stopping: max |∇f_i| <= gradientTolerance. */
    gradientTolerance: z.number().positive().default(1e-5),
    /** scipy-compatible stopping: relative decrease <= functionTolerance (factr·eps). */
    functionTolerance: z.number().positive().default(2.220446049250313e-9),
    maxIterations: z.number().int().positive().default(15000),
    /** A start "reached the best" when its objective is within this relative distance of the best. */
    bestTolerance: z.number().nonnegative().default(1e-6),
  })
  .strict();

export type FitChinchillaOptions = z.input<typeof fitChinchillaOptionsSchema>;
export type ResolvedFitChinchillaOptions = z.output<typeof fitChinchillaOptionsSchema>;
export type ChinchillaPoints = z.input<typeof chinchillaPointsSchema>;
