import type { RandomStream } from './keyed-random.js';

/** Standard normal by Box–Muller (cosine branch) on two uniform draws of the stream. */
function uniformPairNormal(stream: RandomStream): number {
  const u1 = 1 - stream.uniform(); // (0, 1]: the log is finite
  const u2 = stream.uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * One Gamma(shape, 1) draw from a seeded stream (scale it for Gamma(shape, θ)).
 *
 * Algorithm: Marsaglia & Tsang (2000), "A simple method for generating gamma variables": with
 * d = shape − 1/3, c = 1/√(9d), draw x ~ N(0, 1), v = (1 + c·x)³, and accept d·v when
 * ln u < x²/2 + d − d·v + d·ln v (u uniform in (0, 1]); otherwise retry. For shape < 1 it returns
 * Gamma(shape + 1) · u^(1/shape) (their boost), drawing u after the Gamma(shape + 1) variate.
 * Normals come from pairs of `stream.uniform()` draws (not `stream.normal()`), so every draw of the
 * stream is used once; the result is a pure function of the stream's key and start position.
 *
 * Returns NaN unless shape is finite and > 0 (callers validate at their public boundary).
 */
export function sampleGamma(stream: RandomStream, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) return Number.NaN;
  if (shape < 1) return sampleGamma(stream, shape + 1) * (1 - stream.uniform()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = uniformPairNormal(stream);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - stream.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
