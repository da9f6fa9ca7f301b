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
