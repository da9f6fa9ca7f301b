import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { type NoiseSchedule, vpLogAlphaOfLambda, vpScheduleFromLogAlpha } from './noise-schedule.js';

const schema = z.object({
  s: z.number().nonnegative().default(0.008),
  tMin: z.number().positive().default(1e-4),
  /** The cosine schedule reaches alpha = 0 at t = 1; keep tMax below it. */
  tMax: z.number().positive().lt(1).default(0.9946),
});

export type VpCosineScheduleOptions = z.input<typeof schema>;

/** Continuous cosine VP schedule (Nichol & Dhariwal): `alpha = cos((t+s)/(1+s) pi/2) / cos(s/(1+s) pi/2)`. */
export function vpCosineSchedule(options: VpCosineScheduleOptions = {}): NoiseSchedule {
  const { s, tMin, tMax } = parseOptions(PACKAGE_NAME, 'vpCosineSchedule options', schema, options);
  const logAlpha0 = Math.log(Math.cos((s / (1 + s)) * (Math.PI / 2)));
  const logAlpha = (t: number) => Math.log(Math.cos(((t + s) / (1 + s)) * (Math.PI / 2))) - logAlpha0;
  return vpScheduleFromLogAlpha(tMin, tMax, logAlpha, (lambda) => {
    const la = vpLogAlphaOfLambda(lambda);
    return ((2 * (1 + s)) / Math.PI) * Math.acos(Math.exp(la + logAlpha0)) - s;
  });
}
