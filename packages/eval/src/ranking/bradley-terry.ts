import { choleskySolve, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { requireStronglyConnected } from './comparison-graph.js';

export const fitOptionsSchema = z
  .object({
    /** Pseudo-comparisons: α wins each way between every pair (BT) so disconnected graphs stay finite. */
    alpha: z.number().min(0).default(0),
    maxIterations: z.number().int().positive().default(100000),
    /** Stop when the largest change of a log-strength is below this. */
    tolerance: z.number().positive().default(1e-12),
  })
  .strict();

export const bradleyTerryOptionsSchema = fitOptionsSchema.extend({
  /** 'newton' (damped Newton on the concave log-likelihood, quadratic convergence) or Hunter's 'mm'. */
  algorithm: z.enum(['newton', 'mm']).default('newton'),
});
export type BradleyTerryOptions = z.input<typeof bradleyTerryOptionsSchema>;

/** log σ(x) without overflow. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function logLikelihood(w: readonly Float64Array[], s: Float64Array): number {
  let ll = 0;
  for (let i = 0; i < w.length; i++) {
    for (let j = 0; j < w.length; j++) if (w[i]![j]! > 0) ll += w[i]![j]! * logSigmoid(s[i]! - s[j]!);
  }
  return ll;
}

/** Damped Newton on mean-zero log-strengths; (−H + 11ᵀ/n) is positive definite on a connected graph. */
function newtonFit(w: readonly Float64Array[], maxIterations: number, tolerance: number): StrengthFit {
  const n = w.length;
  let s = new Float64Array(n);
  let ll = logLikelihood(w, s);
  let iterations = 0;
  let converged = false;
  const A = new Float64Array(n * n);
  const g = new Float64Array(n);
  while (iterations < maxIterations) {
    iterations++;
    A.fill(1 / n);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const nij = w[i]![j]! + w[j]![i]!;
        if (nij === 0) continue;
        const p = 1 / (1 + Math.exp(s[j]! - s[i]!));
        const h = nij * p * (1 - p);
        g[i] = g[i]! + w[i]![j]! - nij * p;
        g[j] = g[j]! + w[j]![i]! - nij * (1 - p);
        A[i * n + i] = A[i * n + i]! + h;
        A[j * n + j] = A[j * n + j]! + h;
        A[i * n + j] = A[i * n + j]! - h;
        A[j * n + i] = A[j * n + i]! - h;
      }
    }
    const delta = choleskySolve({ rows: n, cols: n, data: A }, g);
    let t = 1;
    let next = s;
    let nextLl = ll;
    for (let halving = 0; halving < 60; halving++) {
      next = Float64Array.from(s, (v, i) => v + t * delta[i]!);
      nextLl = logLikelihood(w, next);
      if (nextLl >= ll - 1e-12 * Math.abs(ll)) break;
      t /= 2;
    }
    let mean = 0;
    for (const v of next) mean += v;
    mean /= n;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = next[i]! - mean;
      change = Math.max(change, Math.abs(next[i]! - s[i]!));
    }
    s = next;
    ll = nextLl;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { logStrengths: Array.from(s), iterations, converged };
}
export type FitOptions = z.input<typeof fitOptionsSchema>;

export interface StrengthFit {
  /** Natural-log strengths, mean zero. P(i beats j) = 1/(1 + exp(s_j − s_i)). */
  readonly logStrengths: number[];
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Bradley–Terry maximum likelihood from a wins matrix (wins[i][j] = times i beat j), by damped Newton (default)
 * or Hunter's MM algorithm π_i ← W_i / Σ_j n_ij/(π_i + π_j). Without `alpha`, a not strongly connected
 * comparison graph is an error (the MLE is infinite).
 */
export function fitBradleyTerry(
  wins: readonly ArrayLike<number>[],
  options: BradleyTerryOptions = {},
  names?: readonly string[],
): StrengthFit {
  const { alpha, maxIterations, tolerance, algorithm } = parseOptions(
    PACKAGE,
    'fitBradleyTerry options',
    bradleyTerryOptionsSchema,
    options,
  );
  const n = wins.length;
  if (n < 2) throw evalError('E_INPUT', `wins needs at least 2 models, got ${n}`);
  const w = wins.map((row, i) => {
    if (row.length !== n)
      throw evalError(
        'E_SHAPE_MISMATCH',
        `wins[${i}] has ${row.length} entries, expected ${n} (square matrix)`,
      );
    return Float64Array.from(row, (v, j) => {
      if (!(v >= 0) || !Number.isFinite(v))
        throw evalError('E_INPUT', `wins[${i}][${j}] must be a non-negative count, got ${v}`);
      return i === j ? 0 : v + alpha;
    });
  });
  if (alpha === 0) {
    requireStronglyConnected(
      n,
      function* (i) {
        for (let j = 0; j < n; j++) if (w[i]![j]! > 0) yield j;
      },
      names,
    );
  }
  if (algorithm === 'newton') return newtonFit(w, maxIterations, tolerance);
  const total = w.map((row) => row.reduce((s, v) => s + v, 0));
  let pi = new Float64Array(n).fill(1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let denominator = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const nij = w[i]![j]! + w[j]![i]!;
        if (nij > 0) denominator += nij / (pi[i]! + pi[j]!);
      }
      next[i] = total[i]! / denominator;
    }
    // Normalise to geometric mean 1 (mean-zero logs) and measure the change.
    let logMean = 0;
    for (let i = 0; i < n; i++) logMean += Math.log(next[i]!);
    logMean /= n;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = next[i]! * Math.exp(-logMean);
      change = Math.max(change, Math.abs(Math.log(next[i]!) - Math.log(pi[i]!)));
    }
    pi = next;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { logStrengths: Array.from(pi, (v) => Math.log(v)), iterations, converged };
}

/** Predicted P(row beats column) from log-strengths. */
export function predictWinRates(logStrengths: readonly number[]): number[][] {
  return logStrengths.map((si) => logStrengths.map((sj) => 1 / (1 + Math.exp(sj - si))));
}
