/**
 * Eigenvalues of a small symmetric matrix (row-major, n×n) by cyclic Jacobi rotations. Enough for the 2–10
 * parameter Hessians used to flag ill-conditioned fits; a candidate to move into core-tensor.
 */
export function symmetricEigenvalues(matrix: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i]!;
  return out.sort();
}

/** Hessian by central differences of an analytic gradient, symmetrised. */
export function numericalHessian(
  gradientAt: (x: Float64Array, out: Float64Array) => void,
  x: ArrayLike<number>,
  relativeStep = 1e-5,
): Float64Array {
  const n = x.length;
  const h = new Float64Array(n * n);
  const xp = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const step = relativeStep * Math.max(1, Math.abs(x[j]!));
    xp[j] = x[j]! + step;
    gradientAt(xp, gp);
    xp[j] = x[j]! - step;
    gradientAt(xp, gm);
    xp[j] = x[j]!;
    for (let i = 0; i < n; i++) h[i * n + j] = (gp[i]! - gm[i]!) / (2 * step);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (h[i * n + j]! + h[j * n + i]!);
      h[i * n + j] = v;
      h[j * n + i] = v;
    }
  }
  return h;
}
