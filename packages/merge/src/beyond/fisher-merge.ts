import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { mergeError, PACKAGE_NAME } from '../errors.js';
import { commonTensorNames, type WeightSet } from './weight-set.js';

export interface FisherMergeOptions {
  /** Per-model coefficients λⱼ (default: all 1). */
  readonly lambdas?: readonly number[];
  /** λⱼ ← λⱼ / ‖Fⱼ‖₂ over all parameters of model j (mmatena default: true). */
  readonly normalizeFishers?: boolean;
  /** Added to the Fisher of the first ("target") model only (`favorTargetModel`) or of every model (default 1e-6). */
  readonly fisherFloor?: number;
  /** Apply the floor to model 0 only, so positions with zero Fisher everywhere fall back to it (default true). */
  readonly favorTargetModel?: boolean;
}

const optionsSchema = z.strictObject({
  lambdas: z.array(z.number().nonnegative()).optional(),
  normalizeFishers: z.boolean().optional(),
  fisherFloor: z.number().nonnegative().optional(),
  favorTargetModel: z.boolean().optional(),
});

/**
 * Fisher-weighted averaging (Matena & Raffel 2022): θ* = Σⱼ λⱼ Fⱼ θⱼ / Σⱼ λⱼ Fⱼ element-wise, from
 * diagonal Fisher tensors with the same names and shapes as the weights (e.g. from `diagonalFisher`).
 */
export function fisherMerge(
  models: readonly WeightSet[],
  fishers: readonly WeightSet[],
  options: FisherMergeOptions = {},
): Record<string, Float32Array> {
  const parsed = parseOptions(PACKAGE_NAME, 'fisherMerge options', optionsSchema, options);
  if (fishers.length !== models.length)
    throw mergeError('E_INPUT', `fisherMerge: ${models.length} models but ${fishers.length} Fisher sets`);
  const names = commonTensorNames([...models, ...fishers], 'models and Fishers');
  const count = models.length;
  const lambdas = Float64Array.from(parsed.lambdas ?? new Array(count).fill(1));
  if (lambdas.length !== count)
    throw mergeError('E_INPUT', `fisherMerge: ${lambdas.length} lambdas for ${count} models`);
  if (parsed.normalizeFishers ?? true) {
    for (let j = 0; j < count; j++) {
      let sq = 0;
      for (const name of names) for (const f of fishers[j]![name]!) sq += f * f;
      const norm = Math.sqrt(sq);
      if (norm === 0)
        throw mergeError(
          'E_NUMERIC',
          `fisherMerge: the Fisher of model ${j} is zero everywhere; it cannot be normalised`,
        );
      lambdas[j] = lambdas[j]! / norm;
    }
  }
  const floor = parsed.fisherFloor ?? 1e-6;
  const favorTarget = parsed.favorTargetModel ?? true;
  const out: Record<string, Float32Array> = {};
  for (const name of names) {
    const n = models[0]![name]!.length;
    const merged = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let numerator = 0;
      let denominator = 0;
      for (let j = 0; j < count; j++) {
        const f = fishers[j]![name]![i]! + (j === 0 || !favorTarget ? floor : 0);
        if (f < 0)
          throw mergeError(
            'E_NUMERIC',
            `fisherMerge: Fisher '${name}' of model ${j} is negative at element ${i}`,
          );
        numerator += lambdas[j]! * f * models[j]![name]![i]!;
        denominator += lambdas[j]! * f;
      }
      if (denominator === 0) {
        throw mergeError(
          'E_NUMERIC',
          `fisherMerge: tensor '${name}' element ${i} has zero total Fisher; use a fisherFloor > 0`,
        );
      }
      merged[i] = numerator / denominator;
    }
    out[name] = merged;
  }
  return out;
}
