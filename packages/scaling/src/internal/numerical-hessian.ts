/** Numerical Hessians by central differences in float64, steps `relativeStep · max(1, |x_i|)` (scaled to each parameter). */

const stepsFor = (x: ArrayLike<number>, relativeStep: number): Float64Array =>
  Float64Array.from(x, (v) => relativeStep * Math.max(1, Math.abs(v)));

/** Hessian from an analytic gradient: central differences of the gradient, symmetrised. Costs 2n gradients. */
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
  const steps = stepsFor(x, relativeStep);
  for (let j = 0; j < n; j++) {
    const step = steps[j]!;
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

/**
 * Hessian of `f` at `x` from function values only (symmetric by construction); the default step 1e-4 ≈
 * ε^(1/4) balances the O(h²) truncation error against rounding. Costs 2n² evaluations of `f`.
 */
export function finiteDifferenceHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  relativeStep = 1e-4,
): Float64Array {
  const n = x.length;
  const h = new Float64Array(n * n);
  const p = Float64Array.from(x);
  const steps = stepsFor(x, relativeStep);
  const f0 = f(p);
  const at = (i: number, si: number, j: number, sj: number): number => {
    p[i] = x[i]! + si * steps[i]!;
    p[j] = p[j]! + sj * steps[j]!;
    const v = f(p);
    p[i] = x[i]!;
    p[j] = x[j]!;
    return v;
  };
  for (let i = 0; i < n; i++) {
    const hi = steps[i]!;
    // Diagonal: (f(x+h) − 2f(x) + f(x−h)) / h².
    h[i * n + i] = (at(i, 1, i, 0) - 2 * f0 + at(i, -1, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const v =
        (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * hi * steps[j]!);
      h[i * n + j] = v;
      h[j * n + i] = v;
    }
  }
  return h;
}
