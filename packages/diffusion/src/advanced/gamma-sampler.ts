import type { RandomStream } from '@modelsmith/core-tensor';

/** Standard normal from a stream (Box–Muller, cosine branch). */
export function streamNormal(rng: RandomStream): number {
  const u1 = 1 - rng.uniform();
  const u2 = rng.uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Gamma(shape, 1) by Marsaglia–Tsang (with the u^{1/a} boost for shape < 1). */
export function sampleGamma(rng: RandomStream, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * (1 - rng.uniform()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = streamNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
