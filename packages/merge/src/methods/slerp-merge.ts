/** Above this |cos Ω| slerp falls back to linear interpolation (mergekit's DOT_THRESHOLD). */
export const SLERP_DOT_THRESHOLD = 0.9995;

/**
 * mergekit's slerp: one angle for the whole flattened tensor, computed from unit copies; the
 * interpolation is applied to the unnormalised tensors (norms are not re-imposed).
 * t = 0 returns `from` exactly and t = 1 returns `to` exactly.
 */
export function slerpMerge(from: Float32Array, to: Float32Array, t: number): Float32Array {
  const n = from.length;
  if (t === 0) return Float32Array.from(from);
  if (t === 1) return Float32Array.from(to);
  let dot = 0;
  let normFrom = 0;
  let normTo = 0;
  for (let i = 0; i < n; i++) {
    const a = from[i]!;
    const b = to[i]!;
    dot += a * b;
    normFrom += a * a;
    normTo += b * b;
  }
  normFrom = Math.sqrt(normFrom);
  normTo = Math.sqrt(normTo);
  // mergekit leaves a vector unnormalised when its norm is ≤ 1e-8.
  const cos = dot / ((normFrom > 1e-8 ? normFrom : 1) * (normTo > 1e-8 ? normTo : 1));
  const out = new Float32Array(n);
  if (Math.abs(cos) > SLERP_DOT_THRESHOLD) {
    for (let i = 0; i < n; i++) out[i] = (1 - t) * from[i]! + t * to[i]!;
    return out;
  }
  const omega = Math.acos(cos);
  const sinOmega = Math.sin(omega);
  const a = Math.sin((1 - t) * omega) / sinOmega;
  const b = Math.sin(t * omega) / sinOmega;
  for (let i = 0; i < n; i++) out[i] = a * from[i]! + b * to[i]!;
  return out;
}
