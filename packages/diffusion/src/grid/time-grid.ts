import { betaQuantile, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';

export const TIME_GRID_KINDS = [
  'time-uniform',
  'logsnr',
  'time-quadratic',
  'karras',
  'exponential',
  'polyexponential',
  'beta',
] as const;
export type TimeGridKind = (typeof TIME_GRID_KINDS)[number];

const schema = z
  .object({
    kind: z.enum(TIME_GRID_KINDS),
    /** Number of intervals; the grid has steps + 1 points. */
    steps: z.number().int().min(1),
    tStart: z.number().positive(),
    tEnd: z.number().positive(),
    /** Karras rho (7) or the polyexponential power (1). */
    rho: z.number().positive().optional(),
    /** Beta-grid shape parameters (diffusers `use_beta_sigmas`: 0.6, 0.6). */
    betaA: z.number().positive().default(0.6),
    betaB: z.number().positive().default(0.6),
  })
  .refine((o) => o.tStart > o.tEnd, { message: 'tStart must be larger than tEnd (sampling runs backwards)' });

export type TimeGridOptions = z.input<typeof schema>;

/**
 * A decreasing grid of `steps + 1` times from `tStart` to `tEnd`.
 * - `time-uniform`: uniform in t; `time-quadratic`: uniform in sqrt(t) (DDIM/DEIS);
 * - `logsnr`: uniform in lambda (DPM-Solver `logSNR`); `exponential` is the same grid (log-uniform sigma~);
 * - `karras`: `sigma~_i = (smax^{1/rho} + i/N (smin^{1/rho} - smax^{1/rho}))^rho` in `sigma~ = sigma/alpha`;
 * - `polyexponential`: k-diffusion's `exp(ramp^rho (log smax - log smin) + log smin)`;
 * - `beta`: diffusers `use_beta_sigmas`, `sigma~_i = smin + ppf_{Beta(a,b)}(1 - i/N) (smax - smin)`.
 * The end points are exact.
 */
export function makeTimeGrid(schedule: NoiseSchedule, options: TimeGridOptions): Float64Array {
  const o = parseOptions(PACKAGE_NAME, 'makeTimeGrid options', schema, options);
  const n = o.steps;
  const out = new Float64Array(n + 1);
  const lamStart = schedule.lambda(o.tStart);
  const lamEnd = schedule.lambda(o.tEnd);
  for (let i = 0; i <= n; i++) {
    const f = i / n;
    switch (o.kind) {
      case 'time-uniform':
        out[i] = o.tStart + f * (o.tEnd - o.tStart);
        break;
      case 'time-quadratic': {
        const a = Math.sqrt(o.tStart);
        const b = Math.sqrt(o.tEnd);
        out[i] = (a + f * (b - a)) ** 2;
        break;
      }
      case 'logsnr':
      case 'exponential':
        out[i] = schedule.tOfLambda(lamStart + f * (lamEnd - lamStart));
        break;
      case 'karras': {
        const rho = o.rho ?? 7;
        const smax = Math.exp(-lamStart);
        const smin = Math.exp(-lamEnd);
        const s = (smax ** (1 / rho) + f * (smin ** (1 / rho) - smax ** (1 / rho))) ** rho;
        out[i] = schedule.tOfLambda(-Math.log(s));
        break;
      }
      case 'beta': {
        const smax = Math.exp(-lamStart);
        const smin = Math.exp(-lamEnd);
        const s = smin + betaQuantile(1 - f, o.betaA, o.betaB) * (smax - smin);
        out[i] = schedule.tOfLambda(-Math.log(s));
        break;
      }
      default: {
        const rho = o.rho ?? 1;
        const ramp = (1 - f) ** rho;
        out[i] = schedule.tOfLambda(lamEnd + ramp * (lamStart - lamEnd));
      }
    }
  }
  out[0] = o.tStart;
  out[n] = o.tEnd;
  return out;
}
