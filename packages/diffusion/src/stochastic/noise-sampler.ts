import { createRandom, type KeyedRandom } from '@modelsmith/core-tensor';
import { diffusionError } from '../errors.js';

/**
 * Fills `out` (the whole flat batch) with standard normal noise for sampler step `step`
 * (moving from time `tFrom` to `tTo`). Inject your own to reproduce another implementation's noise.
 */
export type NoiseSampler = (step: number, tFrom: number, tTo: number, out: Float64Array) => void;

/**
 * Per-sample seeded noise: sample p of the batch draws from `createRandom(seed, sampleIndexOffset + p)`,
 * step k uses uniforms `2 k sampleSize …` of that stream (Box–Muller pairs). A sample's noise therefore does not
 * depend on the batch size or its position in the batch (only on its sample index).
 */
export function perSampleNoise(seed: number, sampleSize: number, sampleIndexOffset = 0): NoiseSampler {
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw diffusionError('E_INPUT', `sampleSize must be a positive integer, got ${sampleSize}`);
  }
  const streams: KeyedRandom[] = [];
  return (step, _tFrom, _tTo, out) => {
    if (out.length % sampleSize !== 0) {
      throw diffusionError(
        'E_SHAPE_MISMATCH',
        `batch of ${out.length} values is not a multiple of sampleSize ${sampleSize}`,
      );
    }
    const batch = out.length / sampleSize;
    for (let p = 0; p < batch; p++) {
      let rng = streams[p];
      if (rng === undefined) {
        rng = createRandom(seed, sampleIndexOffset + p);
        streams[p] = rng;
      }
      // Box–Muller pairs (cos and sin) from uniforms 2q, 2q+1 of the step's block: half the hashing of
      // one normal per pair of uniforms, still a pure function of (seed, sample index, step, i).
      const base = 2 * step * sampleSize;
      const off = p * sampleSize;
      for (let i = 0; i < sampleSize; i += 2) {
        const u1 = 1 - rng.uniform(base + i);
        const u2 = rng.uniform(base + i + 1);
        const r = Math.sqrt(-2 * Math.log(u1));
        out[off + i] = r * Math.cos(2 * Math.PI * u2);
        if (i + 1 < sampleSize) out[off + i + 1] = r * Math.sin(2 * Math.PI * u2);
      }
    }
  };
}

/** Standard normal start noise `x_T = scale * z` with the same per-sample keying (step index -1 → stream "init"). */
export function initialNoise(
  seed: number,
  batch: number,
  sampleSize: number,
  scale = 1,
  sampleIndexOffset = 0,
): Float64Array {
  const out = new Float64Array(batch * sampleSize);
  for (let p = 0; p < batch; p++) {
    const rng = createRandom(seed, sampleIndexOffset + p, 'init');
    for (let i = 0; i < sampleSize; i++) out[p * sampleSize + i] = scale * rng.normal(i);
  }
  return out;
}
