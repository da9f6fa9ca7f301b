import { z } from 'zod';

export const trainOptionsSchema = z.object({
  /** `adam` (default) or `sgd`. */
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  learningRate: z.number().positive().default(1e-3),
  epochs: z.number().int().positive().default(1),
  batchSize: z.number().int().positive().default(32),
  /** Loss on (targets, predictions). */
  loss: z
    .enum(['categoricalCrossentropy', 'softmaxCrossEntropy', 'meanSquaredError'])
    .default('softmaxCrossEntropy'),
  /** Shuffles examples each epoch with `createRandom(seed, 'shuffle', epoch)`. */
  shuffle: z.boolean().default(true),
  seed: z.number().int().default(0),
  /** Stop after this many optimizer steps in total (default: all batches of all epochs). */
  maxSteps: z.number().int().positive().optional(),
});

export type TrainOptionsInput = z.input<typeof trainOptionsSchema>;
export type TrainOptions = z.output<typeof trainOptionsSchema>;
