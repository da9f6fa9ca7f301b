import { diffusionError } from '../errors.js';

/** Checks a sampling grid once at the public boundary: at least 2 finite, strictly decreasing times. */
export function validateGrid(times: ArrayLike<number>, name = 'times'): void {
  if (times.length < 2)
    throw diffusionError('E_INPUT', `${name} needs at least 2 points, got ${times.length}`);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) throw diffusionError('E_INPUT', `${name}[${i}] = ${t} is not finite`);
    if (i > 0 && !(t < times[i - 1]!)) {
      throw diffusionError(
        'E_INPUT',
        `${name} must be strictly decreasing (noisy to clean); ${name}[${i}] = ${t}`,
      );
    }
  }
}
