/**
 * Hessian of `f` at `x` from function values only, by central differences in float64, symmetrised. Step i is
 * `relativeStep · max(1, |x_i|)` (scaled to each parameter); the default 1e-4 ≈ ε^(1/4) balances the O(h²)
 * truncation error against rounding. Costs 2n² evaluations of `f`.
 */
export function finiteDifferenceHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  relativeStep = 1e-4,
): Float64Array {
  const n = x.length;
  const h = new Float64Array(n * n);
  const p = Float64Array.from(x);
  const steps = Float64Array.from(x, (v) => relativeStep * Math.max(1, Math.abs(v)));
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
