import { LC_DIMENSION } from './lc-prior.js';

/**
 * LC-PFN's prior as a density over unconstrained coordinates z (bounded uniforms through a scaled sigmoid,
 * log-normals through exp), with the Gaussian-noise likelihood of the observed prefix. Layout: LC_PARAMETERS.
 */

const SIGMOID_BOUNDS: Readonly<Record<number, readonly [number, number]>> = {
  0: [0, 1],
  1: [0, 1],
  2: [0, 1],
  3: [0, 1.25],
  4: [-0.6, 0.6],
  6: [0, 1],
  7: [-0.5, 0.5],
  8: [0, 1],
  9: [0, 2],
};
/** Log-normal hyper-priors: index → [mu, sd] of log θ. */
const LOG_NORMAL: Readonly<Record<number, readonly [number, number]>> = {
  5: [0, 2],
  10: [-2, 1],
  11: [0, 0.5],
  12: [-4, 1],
};

function softplus(t: number): number {
  return t > 30 ? t : Math.log1p(Math.exp(t));
}

export function zToTheta(z: ArrayLike<number>, out = new Float64Array(LC_DIMENSION)): Float64Array {
  for (let i = 0; i < LC_DIMENSION; i++) {
    const bounds = SIGMOID_BOUNDS[i];
    out[i] = bounds ? bounds[0] + (bounds[1] - bounds[0]) / (1 + Math.exp(-z[i]!)) : Math.exp(z[i]!);
  }
  return out;
}

export function thetaToZ(theta: ArrayLike<number>): Float64Array {
  const z = new Float64Array(LC_DIMENSION);
  for (let i = 0; i < LC_DIMENSION; i++) {
    const bounds = SIGMOID_BOUNDS[i];
    if (bounds) {
      const u = Math.min(1 - 1e-12, Math.max(1e-12, (theta[i]! - bounds[0]) / (bounds[1] - bounds[0])));
      z[i] = Math.log(u / (1 - u));
    } else z[i] = Math.log(theta[i]!);
  }
  return z;
}

/** log prior density of z (up to a constant), including the sigmoid Jacobians. */
export function logPriorZ(z: ArrayLike<number>): number {
  let lp = 0;
  for (let i = 0; i < LC_DIMENSION; i++) {
    const ln = LOG_NORMAL[i];
    if (ln) lp -= 0.5 * ((z[i]! - ln[0]) / ln[1]) ** 2;
    else lp -= softplus(-z[i]!) + softplus(z[i]!);
  }
  return lp;
}

/**
 * The x values where the constraint is checked: every epoch up to 10, then about 16 log-spaced epochs up to
 * the horizon (always included). LC-PFN checks every epoch; the mixture's components are monotone, so
 * violations show up at the ends or in the fast-changing start, and this grid is 4× cheaper.
 */
export function constraintGrid(horizon: number): number[] {
  const grid: number[] = [];
  for (let x = 1; x <= Math.min(10, horizon); x++) grid.push(x);
  if (horizon > 10) {
    const steps = 16;
    for (let k = 1; k <= steps; k++) {
      const x = Math.round(10 * (horizon / 10) ** (k / steps));
      if (x > grid[grid.length - 1]!) grid.push(x);
    }
    if (grid[grid.length - 1] !== horizon) grid.push(horizon);
  }
  return grid;
}

export interface LcData {
  /** Observed x (prior units, >= 1). */
  readonly x: Float64Array;
  /** Observed y (normalised to the prior's [0, 1], increasing). */
  readonly y: Float64Array;
  /** Constraint horizon: the curve must be valid on x = 1..horizon. */
  readonly horizon: number;
}

/**
 * Returns log p(z | data) up to a constant, −∞ outside the prior's constraint set. With `penalty`, constraint
 * violations give a smooth quadratic penalty instead (for the MAP search, which needs finite values).
 */
export function createLogPosterior(data: LcData, penalty = false): (z: Float64Array) => number {
  const grid = constraintGrid(Math.floor(data.horizon));
  const T = grid.length;
  const logX = Float64Array.from(grid, Math.log);
  const invLog1 = Float64Array.from(grid, (x) => 1 / Math.log(x + 1));
  const obsLogX = Float64Array.from(data.x, Math.log);
  const obsInvLog1 = Float64Array.from(data.x, (x) => 1 / Math.log(x + 1));
  const theta = new Float64Array(LC_DIMENSION);
  const n = data.x.length;
  return (z) => {
    for (let i = 0; i < LC_DIMENSION; i++) if (!Number.isFinite(z[i]!)) return Number.NEGATIVE_INFINITY;
    zToTheta(z, theta);
    const w1 = theta[0]!;
    const w2 = theta[1]!;
    const w3 = theta[2]!;
    const c3 = theta[3]!;
    const a3 = theta[4]!;
    const al3 = theta[5]!;
    const ci = theta[6]!;
    const ai = theta[7]!;
    const aj = theta[8]!;
    const bj = theta[9]!;
    const kj = theta[10]!;
    const dj = theta[11]!;
    const sigma = theta[12]!;
    let violation = 0;
    let first = 0;
    for (let t = 0; t < T; t++) {
      const lx = logX[t]!;
      const y =
        w1 * (c3 - a3 * Math.exp(-al3 * lx)) +
        w2 * (ci - ai * invLog1[t]!) +
        w3 * (aj - (aj - bj) * Math.exp(-kj * Math.exp(dj * lx)));
      if (!(y >= 0 && y <= 1)) {
        if (!penalty) return Number.NEGATIVE_INFINITY;
        violation += Number.isFinite(y) ? (y < 0 ? y * y : (y - 1) ** 2) : 1e6;
      }
      if (t === 0) first = y;
      if (t === T - 1 && !(y > first)) {
        if (!penalty) return Number.NEGATIVE_INFINITY;
        violation += (first - y + 1e-6) ** 2;
      }
    }
    let ll = 0;
    const inv = 1 / sigma;
    for (let i = 0; i < n; i++) {
      const lx = obsLogX[i]!;
      const m =
        w1 * (c3 - a3 * Math.exp(-al3 * lx)) +
        w2 * (ci - ai * obsInvLog1[i]!) +
        w3 * (aj - (aj - bj) * Math.exp(-kj * Math.exp(dj * lx)));
      const r = (data.y[i]! - m) * inv;
      ll -= 0.5 * r * r;
    }
    ll -= n * Math.log(sigma);
    const value = ll + logPriorZ(z) - 1e4 * violation;
    return Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  };
}
