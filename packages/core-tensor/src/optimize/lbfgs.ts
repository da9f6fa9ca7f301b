import { type LineSearchResult, moreThuente } from './more-thuente.js';

/** Writes ∇f(x) into `gradient` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** History pairs kept (scipy's `maxcor`). */
  readonly memory?: number;
  /** Stop when max_i |∇f_i| <= this (scipy's `pgtol`/`gtol`, default 1e-5). */
  readonly gradientTolerance?: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= this (scipy's `factr·eps`, default 2.22e-9). */
  readonly functionTolerance?: number;
  readonly maxIterations?: number;
  readonly maxEvaluations?: number;
}

export type LbfgsStatus =
  /** max |∇f_i| reached the gradient tolerance. */
  | 'gradient'
  /** the relative decrease fell below the function tolerance (may be short of a stationary point). */
  | 'function'
  | 'max-iterations'
  | 'max-evaluations'
  /** no step along the steepest-descent direction satisfied the Wolfe conditions. */
  | 'line-search-failed'
  | 'not-finite';

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
  /** max_i |∇f_i| at exit. */
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly status: LbfgsStatus;
}

const EPS = 2.220446049250313e-16;

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m) m = a;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Limited-memory BFGS for unconstrained problems, with the two-loop recursion and a Moré–Thuente line search
 * (strong Wolfe, ftol 1e-3, gtol 0.9, xtol 0.1). Step rules, stopping tests and the curvature skip follow
 * scipy's L-BFGS-B with no bounds, so the same tolerances mean the same thing here and there.
 */
export function minimizeLbfgs(
  f: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options: LbfgsOptions = {},
): LbfgsResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const pgtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.functionTolerance ?? 1e7 * EPS;
  const maxIterations = options.maxIterations ?? 15000;
  const maxEvaluations = options.maxEvaluations ?? 15000;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  const rho = new Float64Array(m);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  let stored = 0;
  let head = 0; // index of the next slot to write
  let gamma = 1;

  let value = f(x, g);
  let evaluations = 1;
  let iterations = 0;
  const finish = (status: LbfgsStatus): LbfgsResult => ({
    x,
    value,
    gradient: g,
    gradientNorm: maxAbs(g),
    iterations,
    evaluations,
    status,
  });
  if (!Number.isFinite(value)) return finish('not-finite');
  if (maxAbs(g) <= pgtol) return finish('gradient');

  let steepest = true; // first iteration, or after a reset
  for (;;) {
    if (iterations >= maxIterations) return finish('max-iterations');
    // Direction d = −H·g by the two-loop recursion.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    if (!steepest && stored > 0) {
      for (let k = 0; k < stored; k++) {
        const j = (head - 1 - k + m) % m;
        const a = rho[j]! * dot(S[j]!, d);
        alpha[j] = a;
        const y = Y[j]!;
        for (let i = 0; i < n; i++) d[i] = d[i]! - a * y[i]!;
      }
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
      for (let k = stored - 1; k >= 0; k--) {
        const j = (head - 1 - k + m) % m;
        const b = rho[j]! * dot(Y[j]!, d);
        const s = S[j]!;
        const c = alpha[j]! - b;
        for (let i = 0; i < n; i++) d[i] = d[i]! + c * s[i]!;
      }
    }
    let slope0 = dot(g, d);
    if (!(slope0 < 0)) {
      // Not a descent direction (curvature pairs went stale): restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope0 = dot(g, d);
      steepest = true;
    }
    const dnorm = Math.sqrt(dot(d, d));
    const initialStep = iterations === 0 || steepest ? Math.min(1 / dnorm, 1e10) : 1;
    const budget = Math.min(20, maxEvaluations - evaluations);
    if (budget <= 0) return finish('max-evaluations');
    const phi = (t: number): readonly [number, number] => {
      for (let i = 0; i < n; i++) xTrial[i] = x[i]! + t * d[i]!;
      const v = f(xTrial, gTrial);
      return [v, dot(gTrial, d)];
    };
    const search: LineSearchResult = moreThuente(phi, value, slope0, initialStep, {
      ftol: 1e-3,
      gtol: 0.9,
      xtol: 0.1,
      stpmin: 0,
      stpmax: 1e10,
      maxEvaluations: budget,
    });
    evaluations += search.evaluations;
    if (search.status === 'max-evaluations' || search.status === 'not-finite') {
      if (steepest) return finish(search.status === 'not-finite' ? 'not-finite' : 'line-search-failed');
      // L-BFGS-B's recovery: drop the history and try again along −g.
      stored = 0;
      steepest = true;
      continue;
    }
    // The search returns the point it evaluated last, so xTrial/gTrial hold x + step·d and its gradient.
    const step = search.step;
    const previous = value;
    const slopeOld = slope0;
    // Store s = step·d and y = g_new − g_old before overwriting x and g.
    const slot = head;
    const s = S[slot]!;
    const y = Y[slot]!;
    for (let i = 0; i < n; i++) {
      s[i] = step * d[i]!;
      y[i] = gTrial[i]! - g[i]!;
      x[i] = xTrial[i]!;
      g[i] = gTrial[i]!;
    }
    value = search.value;
    iterations++;
    steepest = false;

    if (maxAbs(g) <= pgtol) return finish('gradient');
    if (previous - value <= ftol * Math.max(Math.abs(previous), Math.abs(value), 1))
      return finish('function');

    const sy = dot(s, y);
    const yy = dot(y, y);
    // Skip the update when the curvature condition fails numerically (as L-BFGS-B does).
    if (sy > EPS * -slopeOld * step && yy > 0) {
      rho[slot] = 1 / sy;
      gamma = sy / yy;
      head = (head + 1) % m;
      if (stored < m) stored++;
    }
  }
}
