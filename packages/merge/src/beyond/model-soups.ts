import { mergeError } from '../errors.js';
import { commonTensorNames, type WeightSet } from './weight-set.js';

/** Uniform soup: the element-wise mean of every weight set (Wortsman et al. 2022). */
export function uniformSoup(sets: readonly WeightSet[]): Record<string, Float32Array> {
  const names = commonTensorNames(sets);
  const out: Record<string, Float32Array> = {};
  for (const name of names) {
    const n = sets[0]![name]!.length;
    const sum = new Float64Array(n);
    for (const set of sets) {
      const x = set[name]!;
      for (let i = 0; i < n; i++) sum[i]! += x[i]!;
    }
    out[name] = Float32Array.from(sum, (v) => v / sets.length);
  }
  return out;
}

/** WiSE-FT: θ_α = (1 − α)·θ_zero-shot + α·θ_fine-tuned, α ∈ [0, 1] (0.5 without a validation set). */
export function wiseFt(zeroShot: WeightSet, fineTuned: WeightSet, alpha = 0.5): Record<string, Float32Array> {
  if (!(alpha >= 0 && alpha <= 1))
    throw mergeError('E_INVALID_OPTIONS', `wiseFt: alpha must be in [0, 1], got ${alpha}`);
  const names = commonTensorNames([zeroShot, fineTuned], 'endpoints');
  const out: Record<string, Float32Array> = {};
  for (const name of names) {
    const a = zeroShot[name]!;
    const b = fineTuned[name]!;
    const mixed = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) mixed[i] = (1 - alpha) * a[i]! + alpha * b[i]!;
    out[name] = mixed;
  }
  return out;
}

export interface GreedySoupStep {
  /** Index of the candidate tried (into the caller's list). */
  readonly candidate: number;
  /** Held-out score of the soup with this candidate added. */
  readonly score: number;
  readonly kept: boolean;
}

export interface GreedySoupResult {
  /** Indices of the ingredients kept, in the order they were added. */
  readonly selected: readonly number[];
  /** Held-out score of the final soup. */
  readonly score: number;
  /** Every candidate's individual score (as given or as evaluated). */
  readonly individualScores: readonly number[];
  readonly steps: readonly GreedySoupStep[];
}

/**
 * Greedy soup: sort candidates by individual held-out score (descending), start from the best, and
 * add each next candidate only if the soup's held-out score STRICTLY improves. `evaluate` receives
 * the indices of the ingredients of a uniform soup and returns its held-out score (higher is better);
 * build the soup with `uniformSoup` (or by merging checkpoints) inside the callback.
 */
export async function greedySoup(options: {
  readonly candidates: number;
  readonly evaluate: (ingredients: readonly number[]) => Promise<number> | number;
  readonly individualScores?: readonly number[];
}): Promise<GreedySoupResult> {
  const { candidates, evaluate } = options;
  if (!Number.isInteger(candidates) || candidates < 1)
    throw mergeError(
      'E_INVALID_OPTIONS',
      `greedySoup: candidates must be a positive integer, got ${candidates}`,
    );
  if (options.individualScores && options.individualScores.length !== candidates) {
    throw mergeError(
      'E_INVALID_OPTIONS',
      `greedySoup: individualScores has ${options.individualScores.length} entries for ${candidates} candidates`,
    );
  }
  const individual: number[] = [];
  for (let i = 0; i < candidates; i++)
    individual.push(options.individualScores?.[i] ?? (await evaluate([i])));
  for (const [i, s] of individual.entries()) {
    if (!Number.isFinite(s)) throw mergeError('E_NUMERIC', `greedySoup: the score of candidate ${i} is ${s}`);
  }
  // Stable order: ties keep the lower index first.
  const order = individual.map((_, i) => i).sort((a, b) => individual[b]! - individual[a]! || a - b);
  const selected = [order[0]!];
  let best = individual[order[0]!]!;
  const steps: GreedySoupStep[] = [];
  for (const candidate of order.slice(1)) {
    const score = await evaluate([...selected, candidate]);
    if (!Number.isFinite(score))
      throw mergeError('E_NUMERIC', `greedySoup: the soup score with candidate ${candidate} is ${score}`);
    const kept = score > best;
    steps.push({ candidate, score, kept });
    if (kept) {
      selected.push(candidate);
      best = score;
    }
  }
  return { selected, score: best, individualScores: individual, steps };
}
