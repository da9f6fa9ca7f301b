import { mergeError } from '../errors.js';
import { combine, gramInner, gramMatrix } from './gram-combination.js';
import type { TensorContext } from './tensor-context.js';

export interface MultislerpOptions {
  /** Divide the weights by their sum (mergekit `normalize_weights`, default true). */
  readonly normalizeWeights: boolean;
  /** Below this norm a vector (or the mean direction) counts as zero (default 1e-8). */
  readonly eps: number;
}

/**
 * Spherical weighted barycentre (mergekit multislerp): project each flattened input (minus the base,
 * if any) to the unit sphere, take the re-normalised weighted mean μ, map the weighted tangent sum back
 * with the exponential map, and rescale by the weighted mean input norm. Works in the span of the
 * inputs (a Gram matrix), so only one output pass touches the tensors.
 */
export function multislerpMerge(
  models: readonly Float32Array[],
  weights: readonly number[],
  base: Float32Array | undefined,
  options: MultislerpOptions,
  context: TensorContext,
): Float32Array {
  const count = models.length;
  let w = Float64Array.from(weights);
  if (options.normalizeWeights) {
    const total = w.reduce((a, b) => a + b, 0);
    if (Math.abs(total) < 1e-12)
      throw mergeError(
        'E_CONFIG',
        `multislerp on tensor '${context.name}': weights sum to zero; change them or set normalize_weights: false`,
      );
    w = w.map((x) => x / total);
  }
  const gram = gramMatrix(models, base);
  const norms = new Float64Array(count);
  for (let i = 0; i < count; i++) norms[i] = Math.sqrt(Math.max(0, gram[i * count + i]!));
  const unit = (i: number) => {
    const c = new Float64Array(count);
    c[i] = norms[i]! > options.eps ? 1 / norms[i]! : 1;
    return c;
  };
  const mean = new Float64Array(count);
  for (let i = 0; i < count; i++) mean[i] = w[i]! * unit(i)[i]!;
  const meanNorm = Math.sqrt(Math.max(0, gramInner(gram, mean, mean)));
  let targetNorm = 0;
  for (let i = 0; i < count; i++) targetNorm += w[i]! * norms[i]!;
  if (meanNorm < options.eps) {
    if (count === 2) {
      // Antipodal pair: mergekit falls back to linear interpolation.
      const coefficients = Float64Array.from(w);
      return combine(models, coefficients, base);
    }
    throw mergeError(
      'E_NUMERIC',
      `multislerp on tensor '${context.name}': the inputs cancel on the sphere (mean direction ≈ 0); use linear instead`,
    );
  }
  const mu = mean.map((x) => x / meanNorm);
  const tangent = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = unit(i);
    const c = gramInner(gram, u, mu);
    for (let p = 0; p < count; p++) tangent[p]! += w[i]! * (u[p]! - c * mu[p]!);
  }
  const tangentNorm = Math.sqrt(Math.max(0, gramInner(gram, tangent, tangent)));
  const coefficients = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const direction =
      tangentNorm < options.eps
        ? mu[p]!
        : Math.cos(tangentNorm) * mu[p]! + (Math.sin(tangentNorm) / tangentNorm) * tangent[p]!;
    coefficients[p] = direction * targetNorm;
  }
  return combine(models, coefficients, base);
}
