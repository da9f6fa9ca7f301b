import { fitCurve, startGrid } from '@modelsmith/core-tensor';
import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';

/** Gadre et al. (2024) over-training law L(C, M) = E + (a·M^eta + b·M^−eta)·C^−eta, C = 6ND, M = D/N. */
export interface OvertrainingParams {
  readonly E: number;
  readonly a: number;
  readonly b: number;
  readonly eta: number;
}

export function overtrainingLoss(p: OvertrainingParams, compute: number, tokensPerParam: number): number {
  return p.E + (p.a * tokensPerParam ** p.eta + p.b * tokensPerParam ** -p.eta) * compute ** -p.eta;
}

/** Gadre et al. loss → average top-1 error: Err(L) = epsilon − k·exp(−gamma·L). */
export interface ErrorLawParams {
  readonly epsilon: number;
  readonly k: number;
  readonly gamma: number;
}

export function downstreamError(p: ErrorLawParams, loss: number): number {
  return p.epsilon - p.k * Math.exp(-p.gamma * loss);
}

export interface LawFit<P> {
  readonly params: P;
  /** ½·Σ residual² at the best start. */
  readonly objective: number;
  readonly starts: number;
  readonly startsAtBest: number;
}

/**
 * Fits the over-training law by least squares on the loss over a 4×4×2×4 grid of starts (as Gadre et al.'s
 * `curve_fit` grid), with a and b in log space so they stay positive.
 */
export function fitOvertraining(
  compute: ArrayLike<number>,
  tokensPerParam: ArrayLike<number>,
  loss: ArrayLike<number>,
): LawFit<OvertrainingParams> {
  checkSameLength(['compute', 'tokensPerParam', 'loss'], [compute, tokensPerParam, loss]);
  checkValues('compute', compute, true);
  checkValues('tokensPerParam', tokensPerParam, true);
  checkValues('loss', loss, true);
  checkEnoughPoints(compute.length, 4, 'over-training law');
  const lC = Float64Array.from(compute, Math.log);
  const lM = Float64Array.from(tokensPerParam, Math.log);
  const minLoss = Math.min(...Array.from(loss));
  const fit = fitCurve({
    parameterCount: 4,
    targets: loss,
    // p = [E, log a, log b, eta]
    model: (p, i, g) => {
      const eta = p[3]!;
      const P = Math.exp(p[1]! + eta * (lM[i]! - lC[i]!));
      const Q = Math.exp(p[2]! - eta * (lM[i]! + lC[i]!));
      g[0] = 1;
      g[1] = P;
      g[2] = Q;
      g[3] = P * (lM[i]! - lC[i]!) - Q * (lM[i]! + lC[i]!);
      return p[0]! + P + Q;
    },
    starts: startGrid([
      [0.25, 0.5, 0.75, 0.95].map((f) => f * minLoss),
      [0, 3, 6, 9],
      [0, 6],
      [0.05, 0.1, 0.2, 0.3],
    ]),
  });
  const p = fit.params;
  return {
    params: { E: p[0]!, a: Math.exp(p[1]!), b: Math.exp(p[2]!), eta: p[3]! },
    objective: fit.objective,
    starts: fit.starts,
    startsAtBest: fit.startsAtBest,
  };
}

/** Fits Err(L) = epsilon − k·exp(−gamma·L) by least squares over a grid of starts. Degenerate on few points. */
export function fitErrorLaw(loss: ArrayLike<number>, error: ArrayLike<number>): LawFit<ErrorLawParams> {
  checkSameLength(['loss', 'error'], [loss, error]);
  checkValues('loss', loss, true);
  checkValues('error', error, false);
  checkEnoughPoints(loss.length, 3, 'loss→error law');
  const fit = fitCurve({
    parameterCount: 3,
    targets: error,
    model: (p, i, g) => {
      const e = Math.exp(-p[2]! * loss[i]!);
      g[0] = 1;
      g[1] = -e;
      g[2] = p[1]! * loss[i]! * e;
      return p[0]! - p[1]! * e;
    },
    starts: startGrid([
      [0.5, 0.9],
      [0.5, 2, 8],
      [0.3, 1, 2],
    ]),
  });
  const p = fit.params;
  return {
    params: { epsilon: p[0]!, k: p[1]!, gamma: p[2]! },
    objective: fit.objective,
    starts: fit.starts,
    startsAtBest: fit.startsAtBest,
  };
}
