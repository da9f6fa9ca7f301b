import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { NoiseSchedule } from './noise-schedule.js';

const schema = z.object({
  tMin: z.number().positive().lt(1).default(1e-4),
  tMax: z
    .number()
    .positive()
    .lt(1)
    .default(1 - 1e-4),
});

export type FlowScheduleOptions = z.input<typeof schema>;

/** Rectified flow: `alpha = 1 - s`, `sigma = s`, `lambda = log((1-s)/s)`. */
export function flowSchedule(options: FlowScheduleOptions = {}): NoiseSchedule {
  const { tMin, tMax } = parseOptions(PACKAGE_NAME, 'flowSchedule options', schema, options);
  return {
    kind: 'flow',
    tMin,
    tMax,
    logAlpha: (s) => Math.log1p(-s),
    alpha: (s) => 1 - s,
    sigma: (s) => s,
    lambda: (s) => Math.log1p(-s) - Math.log(s),
    // 1/(1+e^lambda), written to avoid overflow for very negative or positive lambda.
    tOfLambda: (lambda) =>
      lambda > 0 ? Math.exp(-lambda) / (1 + Math.exp(-lambda)) : 1 / (1 + Math.exp(lambda)),
  };
}

/** diffusers `flow_shift`: `s' = shift s / (1 + (shift - 1) s)`. */
export function flowShift(s: number, shift: number): number {
  return (shift * s) / (1 + (shift - 1) * s);
}

/** diffusers dynamic (exponential) time shift: `e^mu / (e^mu + (1/s - 1))`. */
export function flowDynamicShift(s: number, mu: number): number {
  const e = Math.exp(mu);
  return e / (e + (1 / s - 1));
}
