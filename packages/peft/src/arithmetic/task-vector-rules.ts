import { bernoulliMask, type KeyedRandom, topKMagnitudeMask } from '@modelsmith/core-tensor';

// Merge rules of PEFT's utils/merge_utils.py, applied here to full ΔW task vectors (float32).

export type MajoritySignMethod = 'total' | 'frequency';

/** Keeps the top `density` fraction of entries by |τ| (ties: lower index kept); zeroes the rest. */
export function magnitudePrune(values: Float32Array, density: number): Float32Array {
  const k = Math.round(density * values.length);
  const mask = topKMagnitudeMask(values, k);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) if (mask[i]) out[i] = values[i]!;
  return out;
}

/** DARE: keep each entry with probability `density`, rescale survivors by 1/density. */
export function darePrune(values: Float32Array, density: number, random: KeyedRandom): Float32Array {
  const mask = bernoulliMask(random, density, values.length);
  const out = new Float32Array(values.length);
  const rescale = 1 / density;
  for (let i = 0; i < values.length; i++) if (mask[i]) out[i] = values[i]! * rescale;
  return out;
}

/** Σ wᵢ·τᵢ. */
export function weightedSum(tasks: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(tasks[0]!.length);
  tasks.forEach((task, t) => {
    const w = weights[t]!;
    for (let i = 0; i < out.length; i++) out[i]! += w * task[i]!;
  });
  return out;
}

/**
 * TIES' sign election and disjoint merge on already weighted, pruned task vectors: the elected
 * sign is that of Σ τ (`total`) or Σ sign(τ) (`frequency`), ≥ 0 counting as +; each entry is the
 * mean of the task values whose sign equals it (0 when none agrees).
 */
export function disjointMerge(weighted: readonly Float32Array[], method: MajoritySignMethod): Float32Array {
  const n = weighted[0]!.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let vote = 0;
    for (const task of weighted) vote += method === 'total' ? task[i]! : Math.sign(task[i]!);
    const elected = vote >= 0 ? 1 : -1;
    let sum = 0;
    let count = 0;
    for (const task of weighted) {
      const value = task[i]!;
      if (Math.sign(value) === elected) {
        sum += value;
        count++;
      }
    }
    out[i] = count > 0 ? sum / count : 0;
  }
  return out;
}
