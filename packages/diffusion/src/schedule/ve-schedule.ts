import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { NoiseSchedule } from './noise-schedule.js';

const schema = z
  .object({ sigmaMin: z.number().positive().default(0.002), sigmaMax: z.number().positive().default(80) })
  .refine((o) => o.sigmaMax > o.sigmaMin, { message: 'sigmaMax must exceed sigmaMin' });

export type VeScheduleOptions = z.input<typeof schema>;

/** VE / EDM: `alpha = 1`, `sigma = t` (time is the noise level). */
export function veSchedule(options: VeScheduleOptions = {}): NoiseSchedule {
  const { sigmaMin, sigmaMax } = parseOptions(PACKAGE_NAME, 'veSchedule options', schema, options);
  return {
    kind: 've',
    tMin: sigmaMin,
    tMax: sigmaMax,
    logAlpha: () => 0,
    alpha: () => 1,
    sigma: (t) => t,
    lambda: (t) => -Math.log(t),
    tOfLambda: (lambda) => Math.exp(-lambda),
  };
}
