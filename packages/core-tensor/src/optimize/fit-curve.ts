import type { LbfgsStatus } from './lbfgs.js';
import { multiStartLbfgs } from './multi-start.js';

/** Prediction for observation `i` at parameters `p`; writes ∂prediction/∂p into `gradient`. */
export type CurveModel = (p: Float64Array, i: number, gradient: Float64Array) => number;

export interface FitCurveOptions {
  readonly model: CurveModel;
  readonly parameterCount: number;
  /** Targets, one per observation (in the space the model predicts, e.g. log loss). */
  readonly targets: ArrayLike<number>;
  readonly starts: readonly ArrayLike<number>[];
  /** 'squared' (½r², least squares) or Huber with `delta`. */
  readonly loss?: 'squared' | 'huber';
  readonly delta?: number;
  readonly gradientTolerance?: number;
  readonly functionTolerance?: number;
}

export interface CurveFit {
  readonly params: Float64Array;
  readonly objective: number;
  readonly starts: number;
  readonly startsAtBest: number;
  readonly gradientNorm: number;
  readonly status: LbfgsStatus;
}

/**
 * Multi-start L-BFGS on Σ ρ(model(p, i) − target_i) with an analytic gradient, for the small published laws.
 * Tolerances default tight (gradient 1e-10, function 1e-14) because these objectives can be tiny.
 */
export function fitCurve(options: FitCurveOptions): CurveFit {
  const { model, parameterCount, targets, loss = 'squared', delta = 1e-3 } = options;
  const n = targets.length;
  const g = new Float64Array(parameterCount);
  const objective = (p: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const r = model(p, i, g) - targets[i]!;
      let dr: number;
      if (loss === 'squared' || Math.abs(r) <= delta) {
        f += 0.5 * r * r;
        dr = r;
      } else {
        f += delta * (Math.abs(r) - 0.5 * delta);
        dr = r > 0 ? delta : -delta;
      }
      for (let k = 0; k < parameterCount; k++) gradient[k] = gradient[k]! + dr * g[k]!;
    }
    return f;
  };
  const run = multiStartLbfgs(objective, options.starts, {
    gradientTolerance: options.gradientTolerance ?? 1e-10,
    functionTolerance: options.functionTolerance ?? 1e-14,
    bestTolerance: 1e-6,
  });
  return {
    params: run.best.x,
    objective: run.best.value,
    starts: run.starts,
    startsAtBest: run.startsAtBest,
    gradientNorm: run.best.gradientNorm,
    status: run.best.status,
  };
}

/** Every combination of the given per-parameter start values (a grid of starts). */
export function startGrid(values: readonly (readonly number[])[]): Float64Array[] {
  let grid: number[][] = [[]];
  for (const choices of values) grid = grid.flatMap((prefix) => choices.map((v) => [...prefix, v]));
  return grid.map((row) => Float64Array.from(row));
}
