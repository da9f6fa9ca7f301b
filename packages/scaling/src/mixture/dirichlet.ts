import type { RandomStream } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';

/** Gamma(shape, 1) by Marsaglia–Tsang, with the U^(1/shape) boost for shape < 1. */
export function sampleGamma(shape: number, stream: RandomStream): number {
  if (shape < 1) {
    const u = stream.uniform();
    return sampleGamma(shape + 1, stream) * (u > 0 ? u : Number.MIN_VALUE) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = stream.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = stream.uniform();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One Dirichlet(alpha) draw from a seeded stream. */
export function sampleDirichlet(alpha: ArrayLike<number>, stream: RandomStream): Float64Array {
  const out = new Float64Array(alpha.length);
  let sum = 0;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (!(a > 0 && Number.isFinite(a)))
      throw scalingError('E_INPUT', `Dirichlet alpha[${i}] = ${a} must be > 0`);
    out[i] = sampleGamma(a, stream);
    sum += out[i]!;
  }
  if (sum === 0) {
    // Every gamma underflowed (tiny alphas): fall back to the largest alpha's vertex.
    let best = 0;
    for (let i = 1; i < alpha.length; i++) if (alpha[i]! > alpha[best]!) best = i;
    out[best] = 1;
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}
