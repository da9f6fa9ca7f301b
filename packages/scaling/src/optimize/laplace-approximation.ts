import {
  choleskySolve,
  createMatrix,
  type DenseMatrix,
  identity,
  type KeyedRandom,
  symmetricEigen,
} from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';
import { finiteDifferenceHessian } from '../internal/numerical-hessian.js';

export interface LaplaceApproximation {
  /** The mode the Gaussian is centred on. */
  readonly mean: Float64Array;
  /** Numerical Hessian of −log density at the mode (symmetric, before jitter). */
  readonly hessian: DenseMatrix;
  /** Diagonal jitter added to the Hessian so that its Cholesky factorisation succeeds (0 when none was needed). */
  readonly jitter: number;
  /** (hessian + jitter·I)⁻¹. */
  readonly covariance: DenseMatrix;
  /** A square root S of the covariance (S·Sᵀ = covariance), used to draw. */
  readonly sqrtCovariance: DenseMatrix;
}

/**
 * Laplace approximation of a density around its mode: N(mode, H⁻¹) with H the Hessian of −log density by
 * central differences (steps scaled to each coordinate). When H is not positive definite, the smallest jitter
 * on the ladder 0, 1e-10·s, 1e-9·s, …, 1e2·s (s = max |H_ii|) for which Cholesky succeeds is added to the
 * diagonal and reported.
 */
export function laplaceApproximation(
  logDensity: (x: Float64Array) => number,
  mode: ArrayLike<number>,
  options: { readonly relativeStep?: number } = {},
): LaplaceApproximation {
  const n = mode.length;
  const mean = Float64Array.from(mode);
  const h = finiteDifferenceHessian((x) => -logDensity(x), mean, options.relativeStep);
  let scale = 0;
  for (let i = 0; i < h.length; i++) {
    if (!Number.isFinite(h[i]!)) {
      throw scalingError(
        'E_NUMERIC',
        `Laplace: the Hessian entry (${Math.floor(i / n)}, ${i % n}) is not finite; the log density must be finite and smooth around the mode`,
      );
    }
  }
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(h[i * n + i]!));
  const hessian = createMatrix(n, n, h);
  const ladder = [0];
  for (let e = -10; e <= 2; e++) ladder.push((scale || 1) * 10 ** e);
  for (const jitter of ladder) {
    const shifted = createMatrix(n, n, Float64Array.from(h));
    for (let i = 0; i < n; i++) shifted.data[i * n + i] = shifted.data[i * n + i]! + jitter;
    let covariance: DenseMatrix;
    try {
      covariance = choleskySolve(shifted, identity(n));
    } catch {
      continue;
    }
    // Symmetric square root of (H + jitter·I)⁻¹ from its eigen-decomposition: S = V·Λ^(−1/2) (core-tensor
    // exposes Cholesky only as a solver). Cholesky succeeded, so every eigenvalue is positive.
    const { values, vectors } = symmetricEigen(shifted);
    const root = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const inv = 1 / Math.sqrt(Math.max(values[j]!, Number.MIN_VALUE));
      for (let i = 0; i < n; i++) root[i * n + j] = vectors.data[i * n + j]! * inv;
    }
    return { mean, hessian, jitter, covariance, sqrtCovariance: createMatrix(n, n, root) };
  }
  throw scalingError(
    'E_NUMERIC',
    `Laplace: the Hessian stays not positive definite with a diagonal jitter of ${ladder.at(-1)}; the mode is probably not a maximum — use the MCMC posterior`,
  );
}

/**
 * Draw number `index` from the Laplace Gaussian: mean + S·ε with ε the standard normals `index·n … index·n+n−1`
 * of `rng` (same rng and index → same bits).
 */
export function laplaceDraw(
  approx: LaplaceApproximation,
  rng: KeyedRandom,
  index: number,
  out = new Float64Array(approx.mean.length),
): Float64Array {
  const n = approx.mean.length;
  const eps = new Float64Array(n);
  for (let j = 0; j < n; j++) eps[j] = rng.normal(index * n + j);
  const s = approx.sqrtCovariance.data;
  for (let i = 0; i < n; i++) {
    let v = approx.mean[i]!;
    for (let j = 0; j < n; j++) v += s[i * n + j]! * eps[j]!;
    out[i] = v;
  }
  return out;
}
