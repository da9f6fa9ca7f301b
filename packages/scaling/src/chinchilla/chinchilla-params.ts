/** Parameters of L(N, D) = E + A/N^alpha + B/D^beta. */
export interface ChinchillaParams {
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

/** L(N, D) in natural units. */
export function chinchillaLoss(p: ChinchillaParams, params: number, tokens: number): number {
  return p.E + p.A / params ** p.alpha + p.B / tokens ** p.beta;
}

/** [a, b, e, alpha, beta] with A = e^a, B = e^b, E = e^e. */
export function toLogVector(p: ChinchillaParams): Float64Array {
  return Float64Array.of(Math.log(p.A), Math.log(p.B), Math.log(p.E), p.alpha, p.beta);
}

export function fromLogVector(x: ArrayLike<number>): ChinchillaParams {
  return { A: Math.exp(x[0]!), B: Math.exp(x[1]!), E: Math.exp(x[2]!), alpha: x[3]!, beta: x[4]! };
}
