/** Element-wise: w = clamp(t / max(|θ₀ − θ₁|, 1e-6), 0, 1); θ = w·θ₁ + (1 − w)·θ₀. */
export function nearswapMerge(base: Float32Array, model: Float32Array, t: number): Float32Array {
  const n = base.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const b = base[i]!;
    const m = model[i]!;
    const w = Math.min(1, Math.max(0, t / Math.max(Math.abs(b - m), 1e-6)));
    out[i] = w * m + (1 - w) * b;
  }
  return out;
}
