import { combine, gramInner, gramMatrix } from './gram-combination.js';

export interface KarcherOptions {
  readonly maxIter: number;
  readonly tol: number;
}

/**
 * Karcher (Riemannian) mean on the unit sphere with equal weights (mergekit `karcher`), rescaled by
 * the mean input norm. The iteration runs in the span of the inputs via their Gram matrix.
 */
export function karcherMerge(models: readonly Float32Array[], options: KarcherOptions): Float32Array {
  const count = models.length;
  const gram = gramMatrix(models);
  const norms = new Float64Array(count);
  for (let i = 0; i < count; i++) norms[i] = Math.sqrt(Math.max(0, gram[i * count + i]!));
  const units: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const c = new Float64Array(count);
    c[i] = norms[i]! > 1e-12 ? 1 / norms[i]! : 0;
    units.push(c);
  }
  const weight = 1 / count;
  let u: Float64Array = new Float64Array(count);
  for (let i = 0; i < count; i++) for (let p = 0; p < count; p++) u[p]! += weight * units[i]![p]!;
  const normalise = (v: Float64Array): Float64Array => {
    const norm = Math.sqrt(Math.max(0, gramInner(gram, v, v)));
    return norm > 1e-12 ? v.map((x) => x / norm) : v;
  };
  u = normalise(u);
  for (let iteration = 0; iteration < options.maxIter; iteration++) {
    const tangent = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      if (norms[i]! <= 1e-12) continue;
      const cos = Math.max(-1, Math.min(1, gramInner(gram, units[i]!, u)));
      const theta = Math.acos(cos);
      const factor = theta < 1e-12 ? 1 : theta / Math.sin(theta);
      for (let p = 0; p < count; p++) tangent[p]! += weight * factor * (units[i]![p]! - cos * u[p]!);
    }
    const tangentNorm = Math.sqrt(Math.max(0, gramInner(gram, tangent, tangent)));
    if (tangentNorm < options.tol) break;
    const next = new Float64Array(count);
    for (let p = 0; p < count; p++) {
      next[p] = Math.cos(tangentNorm) * u[p]! + (Math.sin(tangentNorm) * tangent[p]!) / tangentNorm;
    }
    u = normalise(next);
  }
  let meanNorm = 0;
  for (let i = 0; i < count; i++) meanNorm += weight * norms[i]!;
  return combine(
    models,
    u.map((x) => x * meanNorm),
  );
}
