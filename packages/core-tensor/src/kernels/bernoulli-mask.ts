import type { KeyedRandom } from '../random/keyed-random.js';
import { kernelError } from './float-array.js';

/**
 * A mask with `mask[i] = 1` with probability `p` (draw `start + i` of `random`), else 0.
 * Being counter-based, the same `(random, start + i)` always gives the same bit, so a tensor
 * masked in row chunks gets the same mask as in one piece.
 */
export function bernoulliMask(random: KeyedRandom, p: number, length: number, start = 0): Uint8Array {
  if (!(p >= 0 && p <= 1)) throw kernelError('E_INPUT', `bernoulliMask: p must be in [0, 1], got ${p}`);
  if (!Number.isSafeInteger(length) || length < 0) {
    throw kernelError('E_INPUT', `bernoulliMask: length must be a non-negative integer, got ${length}`);
  }
  const mask = new Uint8Array(length);
  random.fillBernoulli(mask, p, start);
  return mask;
}
