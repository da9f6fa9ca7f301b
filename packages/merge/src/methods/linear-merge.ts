import { mergeError } from '../errors.js';
import { weightedSumInto } from '../kernels/weighted-sum.js';
import type { TensorContext } from './tensor-context.js';

/**
 * θ = Σ wᵢθᵢ, divided by Σ wᵢ when `normalize`. Weights summing to zero with `normalize` are an
 * error here (mergekit divides and writes inf/NaN).
 */
export function linearMerge(
  models: readonly Float32Array[],
  weights: readonly number[],
  options: { readonly normalize: boolean },
  context: TensorContext,
): Float32Array {
  const n = models[0]?.length ?? 0;
  const out = new Float32Array(n);
  weightedSumInto(out, models, linearWeights(weights, options, context));
  return out;
}

/** The effective per-model factors of `linearMerge` (weights, divided by their sum when normalizing). */
export function linearWeights(
  weights: readonly number[],
  options: { readonly normalize: boolean },
  context: TensorContext,
): number[] {
  let weightSum = 0;
  for (const w of weights) weightSum += w;
  if (options.normalize && Math.abs(weightSum) < 1e-12) {
    throw mergeError(
      'E_CONFIG',
      `linear on tensor '${context.name}': weights [${weights.join(', ')}] sum to zero, so normalize: true would divide by zero; ` +
        'change the weights or set parameters.normalize: false',
    );
  }
  const scale = options.normalize ? 1 / weightSum : 1;
  return weights.map((w) => w * scale);
}
