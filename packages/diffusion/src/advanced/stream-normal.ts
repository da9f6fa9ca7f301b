import type { RandomStream } from '@modelsmith/core-tensor';

/**
 * Standard normal from a stream (Box–Muller, cosine branch) using two `uniform()` draws, the same
 * construction core-tensor's `sampleGamma` uses, so PFGM++ draws keep their bits.
 */
export function streamNormal(rng: RandomStream): number {
  const u1 = 1 - rng.uniform();
  const u2 = rng.uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
