import type { KeyedRandom } from '@modelsmith/core-tensor';

export interface EnsembleSamplerOptions {
  readonly steps: number;
  /** Steps discarded at the start. */
  readonly burn: number;
  /** Keep every `thin`-th step after burn-in. */
  readonly thin?: number;
  /** Stretch scale a (emcee's default 2). */
  readonly stretch?: number;
}

export interface EnsembleSamples {
  /** Kept positions, walker-major within each kept step. */
  readonly samples: Float64Array[];
  /** Log density of each kept sample. */
  readonly logProb: Float64Array;
  readonly acceptanceRate: number;
}

/**
 * Goodman & Weare's affine-invariant ensemble sampler with the stretch move (as in emcee), updating walkers
 * one at a time against the current ensemble. `initial` walkers must have finite log density.
 */
export function ensembleSample(
  logProb: (z: Float64Array) => number,
  initial: readonly Float64Array[],
  rng: KeyedRandom,
  options: EnsembleSamplerOptions,
): EnsembleSamples {
  const walkers = initial.map((w) => Float64Array.from(w));
  const count = walkers.length;
  const dim = walkers[0]!.length;
  const a = options.stretch ?? 2;
  const thin = options.thin ?? 1;
  const current = Float64Array.from(walkers, (w) => logProb(w));
  const proposal = new Float64Array(dim);
  const samples: Float64Array[] = [];
  const kept: number[] = [];
  let accepted = 0;
  let proposed = 0;
  let draw = 0;
  for (let step = 0; step < options.steps; step++) {
    for (let k = 0; k < count; k++) {
      let j = rng.integer(draw++, count - 1);
      if (j >= k) j++;
      const z = ((a - 1) * rng.uniform(draw++) + 1) ** 2 / a;
      const xk = walkers[k]!;
      const xj = walkers[j]!;
      for (let d = 0; d < dim; d++) proposal[d] = xj[d]! + z * (xk[d]! - xj[d]!);
      const lp = logProb(proposal);
      const logAccept = (dim - 1) * Math.log(z) + lp - current[k]!;
      proposed++;
      if (lp > Number.NEGATIVE_INFINITY && Math.log(rng.uniform(draw++)) < logAccept) {
        xk.set(proposal);
        current[k] = lp;
        accepted++;
      }
    }
    if (step >= options.burn && (step - options.burn) % thin === 0) {
      for (let k = 0; k < count; k++) {
        samples.push(Float64Array.from(walkers[k]!));
        kept.push(current[k]!);
      }
    }
  }
  return { samples, logProb: Float64Array.from(kept), acceptanceRate: accepted / Math.max(1, proposed) };
}
