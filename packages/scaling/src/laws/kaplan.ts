import { type CurveFit, fitCurve, startGrid } from '@modelsmith/core-tensor';
import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';

/**
 * Kaplan et al. (2020) constants (N = non-embedding parameters, D tokens, S steps, B tokens per batch, C in
 * PF-days). Recalled in the spec, not re-read from the paper: treat as approximate.
 */
export const kaplanConstants = {
  alphaN: 0.076,
  Nc: 8.8e13,
  alphaD: 0.095,
  Dc: 5.4e13,
  alphaC: 0.05,
  Cc: 3.1e8,
  /** The joint L(N, D) fit's own constants. */
  joint: { alphaN: 0.076, alphaD: 0.103, Nc: 6.4e13, Dc: 1.8e13 },
  Bstar: 2e8,
  alphaB: 0.21,
  alphaS: 0.76,
  Sc: 2.1e3,
} as const;

export interface KaplanNDParams {
  readonly Nc: number;
  readonly Dc: number;
  readonly alphaN: number;
  readonly alphaD: number;
}

export interface KaplanNSParams {
  readonly Nc: number;
  readonly alphaN: number;
  readonly Sc: number;
  readonly alphaS: number;
}

const K = kaplanConstants;

/** L(N) = (N_c/N)^alpha_N. */
export function kaplanLossN(params: number, c: { Nc: number; alphaN: number } = K): number {
  return (c.Nc / params) ** c.alphaN;
}
/** L(D) = (D_c/D)^alpha_D. */
export function kaplanLossD(tokens: number, c: { Dc: number; alphaD: number } = K): number {
  return (c.Dc / tokens) ** c.alphaD;
}
/** L(C_min) = (C_c/C_min)^alpha_C, C in PF-days. */
export function kaplanLossC(computePfDays: number, c: { Cc: number; alphaC: number } = K): number {
  return (c.Cc / computePfDays) ** c.alphaC;
}
/** L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D. */
export function kaplanLossND(params: number, tokens: number, c: KaplanNDParams = K.joint): number {
  return ((c.Nc / params) ** (c.alphaN / c.alphaD) + c.Dc / tokens) ** c.alphaD;
}
/** L(N, S_min) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S. */
export function kaplanLossNS(params: number, minSteps: number, c: KaplanNSParams = K): number {
  return (c.Nc / params) ** c.alphaN + (c.Sc / minSteps) ** c.alphaS;
}
/** B_crit(L) = B_star · L^(−1/alpha_B), in tokens. */
export function criticalBatchSize(loss: number, c: { Bstar: number; alphaB: number } = K): number {
  return c.Bstar / loss ** (1 / c.alphaB);
}
/** S_min = S/(1 + B_crit/B): the fewest steps that reach the loss a run with batch B reaches in S steps. */
export function minimumSteps(steps: number, batch: number, criticalBatch: number): number {
  return steps / (1 + criticalBatch / batch);
}
/** E_min = E/(1 + B/B_crit): the minimal number of training examples. */
export function minimumExamples(examples: number, batch: number, criticalBatch: number): number {
  return examples / (1 + batch / criticalBatch);
}
/** C_min = C/(1 + B/B_crit). */
export function minimumCompute(compute: number, batch: number, criticalBatch: number): number {
  return compute / (1 + batch / criticalBatch);
}

export interface KaplanFit<P> {
  readonly params: P;
  readonly objective: number;
  readonly startsAtBest: number;
  readonly starts: number;
}

/**
 * Checks the three positive columns of a two-variable Kaplan fit (names as given, loss last) and returns
 * their logs: [log first, log second, log loss].
 */
function logInputs(
  law: string,
  columns: Readonly<Record<string, ArrayLike<number>>>,
): [Float64Array, Float64Array, Float64Array] {
  const names = Object.keys(columns);
  const arrays = Object.values(columns);
  checkSameLength(names, arrays);
  for (const [name, values] of Object.entries(columns)) checkValues(name, values, true);
  checkEnoughPoints(arrays[0]!.length, 4, law);
  const [x, y, loss] = arrays.map((a) => Float64Array.from(a, Math.log));
  return [x!, y!, loss!];
}

function kaplanFit<P>(params: P, fit: CurveFit): KaplanFit<P> {
  return { params, objective: fit.objective, startsAtBest: fit.startsAtBest, starts: fit.starts };
}

/** Fits L(N, D) by least squares on log L over a grid of starts. */
export function fitKaplanND(
  params: ArrayLike<number>,
  tokens: ArrayLike<number>,
  loss: ArrayLike<number>,
): KaplanFit<KaplanNDParams> {
  const [lN, lD, targets] = logInputs('Kaplan L(N, D)', { params, tokens, loss });
  // p = [log Nc, log Dc, alphaN, alphaD]; log L = alphaD·LSE((alphaN/alphaD)(log Nc − log N), log Dc − log D).
  const fit = fitCurve({
    parameterCount: 4,
    targets,
    model: (p, i, g) => {
      const dN = p[0]! - lN[i]!;
      const u1 = (p[2]! / p[3]!) * dN;
      const u2 = p[1]! - lD[i]!;
      const m = Math.max(u1, u2);
      const e1 = Math.exp(u1 - m);
      const e2 = Math.exp(u2 - m);
      const s = e1 + e2;
      const lse = m + Math.log(s);
      const w1 = e1 / s;
      const w2 = e2 / s;
      g[0] = p[2]! * w1;
      g[1] = p[3]! * w2;
      g[2] = w1 * dN;
      g[3] = lse - (w1 * p[2]! * dN) / p[3]!;
      return p[3]! * lse;
    },
    starts: startGrid([
      [20, 30, 40],
      [20, 30, 40],
      [0.05, 0.2],
      [0.05, 0.2],
    ]),
  });
  const p = fit.params;
  return kaplanFit({ Nc: Math.exp(p[0]!), Dc: Math.exp(p[1]!), alphaN: p[2]!, alphaD: p[3]! }, fit);
}

/** Fits L(N, S) = (N_c/N)^alpha_N + (S_c/S)^alpha_S by least squares on log L. */
export function fitKaplanNS(
  params: ArrayLike<number>,
  steps: ArrayLike<number>,
  loss: ArrayLike<number>,
): KaplanFit<KaplanNSParams> {
  const [lN, lS, targets] = logInputs('Kaplan L(N, S)', { params, steps, loss });
  // p = [log Nc, alphaN, log Sc, alphaS]; log L = LSE(alphaN(log Nc − log N), alphaS(log Sc − log S)).
  const fit = fitCurve({
    parameterCount: 4,
    targets,
    model: (p, i, g) => {
      const dN = p[0]! - lN[i]!;
      const dS = p[2]! - lS[i]!;
      const u1 = p[1]! * dN;
      const u2 = p[3]! * dS;
      const m = Math.max(u1, u2);
      const e1 = Math.exp(u1 - m);
      const e2 = Math.exp(u2 - m);
      const s = e1 + e2;
      g[0] = (p[1]! * e1) / s;
      g[1] = (dN * e1) / s;
      g[2] = (p[3]! * e2) / s;
      g[3] = (dS * e2) / s;
      return m + Math.log(s);
    },
    starts: startGrid([
      [20, 30, 40],
      [0.05, 0.2],
      [3, 8, 15],
      [0.3, 1],
    ]),
  });
  const p = fit.params;
  return kaplanFit({ Nc: Math.exp(p[0]!), alphaN: p[1]!, Sc: Math.exp(p[2]!), alphaS: p[3]! }, fit);
}
