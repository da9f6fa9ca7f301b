import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import { alphasCumprodFromBetas } from './beta-schedules.js';
import {
  type NoiseSchedule,
  vpLambdaOfLogAlpha,
  vpLogAlphaOfLambda,
  vpScheduleFromLogAlpha,
} from './noise-schedule.js';

const schema = z
  .object({
    betas: z.array(z.number()).min(2).optional(),
    alphasCumprod: z.array(z.number()).min(2).optional(),
    /**
     * Drop the tail where lambda < clipLambdaMin (DPM-Solver's `numerical_clip_alpha`, -5.1);
     * `null` keeps every step.
     */
    clipLambdaMin: z.number().nullable().default(null),
    /** A zero terminal alpha_cumprod is replaced by this (diffusers uses 2^-24). */
    terminalAlphaCumprod: z
      .number()
      .positive()
      .default(2 ** -24),
  })
  .refine((o) => (o.betas === undefined) !== (o.alphasCumprod === undefined), {
    message: 'give exactly one of betas and alphasCumprod',
  });

export type VpDiscreteScheduleOptions = z.input<typeof schema>;

/** Piecewise-linear interpolation of y over increasing xs, extrapolating linearly at the ends. */
function interpolate(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  let lo = 0;
  let hi = n - 1;
  if (x <= xs[0]!) hi = 1;
  else if (x >= xs[n - 1]!) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= x) lo = mid;
      else hi = mid;
    }
  }
  const x0 = xs[lo]!;
  const x1 = xs[hi]!;
  return ys[lo]! + ((ys[hi]! - ys[lo]!) * (x - x0)) / (x1 - x0);
}

/**
 * A discrete-time VP model (DDPM family) as a continuous schedule, DPM-Solver style:
 * step n (0-based) sits at `t_n = (n+1)/N`, `log alpha` is piecewise linear in t in between.
 * The model's discrete input for time t is `N t - 1` (see `discreteTimestep`).
 */
export function vpDiscreteSchedule(
  options: VpDiscreteScheduleOptions,
): NoiseSchedule & { readonly numTrainTimesteps: number } {
  const parsed = parseOptions(PACKAGE_NAME, 'vpDiscreteSchedule options', schema, options);
  const abarIn = parsed.alphasCumprod
    ? Float64Array.from(parsed.alphasCumprod)
    : alphasCumprodFromBetas(parsed.betas!);
  const total = abarIn.length;
  let n = total;
  const logAlphas: number[] = [];
  for (let i = 0; i < total; i++) {
    let ab = abarIn[i]!;
    if (!(ab >= 0 && ab <= 1)) {
      throw diffusionError('E_INPUT', `alphasCumprod[${i}] = ${ab} is outside [0, 1]`);
    }
    if (ab === 0) ab = parsed.terminalAlphaCumprod;
    const la = 0.5 * Math.log(ab);
    if (parsed.clipLambdaMin !== null && vpLambdaOfLogAlpha(la) < parsed.clipLambdaMin) {
      n = i;
      break;
    }
    if (i > 0 && la >= logAlphas[i - 1]!) {
      throw diffusionError('E_INPUT', `alphasCumprod must be strictly decreasing (index ${i})`);
    }
    logAlphas.push(la);
  }
  if (n < 2) throw diffusionError('E_INPUT', 'fewer than 2 steps remain after clipLambdaMin; lower it');
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = (i + 1) / total;
  const la = Float64Array.from(logAlphas.slice(0, n));
  // Increasing arrays for the inverse: -log alpha grows with t.
  const negLa = la.map((v) => -v);
  const logAlpha = (t: number) => interpolate(ts, la, t);
  return {
    ...vpScheduleFromLogAlpha(1 / total, n / total, logAlpha, (lambda) =>
      interpolate(negLa, ts, -vpLogAlphaOfLambda(lambda)),
    ),
    numTrainTimesteps: total,
  };
}

/** The discrete model input for continuous time t: `N t - 1` (DPM-Solver scales it by 1000/N; we use N). */
export function discreteTimestep(schedule: { numTrainTimesteps: number }, t: number): number {
  return schedule.numTrainTimesteps * t - 1;
}
