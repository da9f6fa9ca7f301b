import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import { type NoiseSchedule, vpLogAlphaOfLambda, vpScheduleFromLogAlpha } from './noise-schedule.js';

const schema = z
  .object({
    beta0: z.number().positive().default(0.1),
    beta1: z.number().positive().default(20),
    tMin: z.number().positive().default(1e-5),
    tMax: z.number().positive().default(1),
  })
  .refine((o) => o.beta1 > o.beta0, { message: 'beta1 must exceed beta0' });

export type VpLinearScheduleOptions = z.input<typeof schema>;

/** Continuous VP-SDE with linear beta (Song et al.): `log alpha = -(b1-b0) t^2/4 - b0 t/2`. */
export function vpLinearSchedule(options: VpLinearScheduleOptions = {}): NoiseSchedule {
  const { beta0, beta1, tMin, tMax } = parseOptions(
    PACKAGE_NAME,
    'vpLinearSchedule options',
    schema,
    options,
  );
  const logAlpha = (t: number) => -0.25 * t * t * (beta1 - beta0) - 0.5 * t * beta0;
  return vpScheduleFromLogAlpha(tMin, tMax, logAlpha, (lambda) => {
    // Root of a t^2 + b t + c = 0 with c = -2 log alpha >= 0, in the cancellation-free form.
    const tmp = 2 * (beta1 - beta0) * -2 * vpLogAlphaOfLambda(lambda);
    const delta = beta0 * beta0 + tmp;
    return tmp / (Math.sqrt(delta) + beta0) / (beta1 - beta0);
  });
}
