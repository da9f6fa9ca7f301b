import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';

const schema = z
  .object({
    numTrainTimesteps: z.number().int().min(2).default(1000),
    steps: z.number().int().min(1),
    spacing: z.enum(['linspace', 'leading', 'trailing']),
    stepsOffset: z.number().int().min(0).default(0),
  })
  .refine((o) => o.steps <= o.numTrainTimesteps, { message: 'steps cannot exceed numTrainTimesteps' });

export type DiffusersTimestepsOptions = z.input<typeof schema>;

/** numpy's round-half-to-even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Integer timesteps exactly as diffusers' DDIM/Euler `set_timesteps` builds them (decreasing):
 * `linspace` = round(linspace(0, T-1, N)) reversed; `leading` = arange(N)*(T//N) reversed + offset;
 * `trailing` = round(arange(T, 0, -T/N)) - 1. Derive each previous time from this list, never from a stride.
 */
export function diffusersTimesteps(options: DiffusersTimestepsOptions): number[] {
  const {
    numTrainTimesteps: T,
    steps: n,
    spacing,
    stepsOffset,
  } = parseOptions(PACKAGE_NAME, 'diffusersTimesteps options', schema, options);
  const out: number[] = [];
  if (spacing === 'linspace') {
    for (let i = n - 1; i >= 0; i--) out.push(roundHalfEven(n === 1 ? 0 : ((T - 1) * i) / (n - 1)));
  } else if (spacing === 'leading') {
    const ratio = Math.floor(T / n);
    for (let i = n - 1; i >= 0; i--) out.push(i * ratio + stepsOffset);
  } else {
    const ratio = T / n;
    // np.arange(T, 0, -ratio) has ceil(T / ratio) elements.
    const count = Math.ceil(T / ratio - 1e-12);
    for (let i = 0; i < count; i++) out.push(roundHalfEven(T - i * ratio) - 1);
  }
  return out;
}

/** Continuous DPM-Solver time of a discrete timestep index n: `(n + 1) / N`. */
export function timestepToTime(timestep: number, numTrainTimesteps: number): number {
  return (timestep + 1) / numTrainTimesteps;
}
