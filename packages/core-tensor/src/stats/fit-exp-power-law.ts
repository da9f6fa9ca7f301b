import { z } from 'zod';
import { parseOptions } from '../errors/invalid-options-error.js';
import { type CurveModel, fitCurve } from '../optimize/fit-curve.js';
import { statsError } from './stats-error.js';

/**
 * What the fit minimises, each weighted by `weights`:
 * - 'linearized': Σ w·(log(−log c) − log(−a) − b·log k)², a straight line, in closed form;
 * - 'coverage': Σ w·(c − exp(a·k^b))², least squares on the coverage itself;
 * - 'log-coverage': Σ w·(log c − a·k^b)², least squares on log coverage.
 */
export type ExpPowerLawCriterion = 'linearized' | 'coverage' | 'log-coverage';

export interface FitExpPowerLawOptions {
  /** Non-negative weight per point (default: all 1). */
  readonly weights?: ArrayLike<number>;
  readonly criterion: ExpPowerLawCriterion;
}

export interface ExpPowerLawFit {
  /** c(k) = exp(a·k^b); a < 0 always, b < 0 when coverage grows with k. */
  readonly a: number;
  readonly b: number;
  readonly criterion: ExpPowerLawCriterion;
  /** ½·Σ w·r² of the chosen criterion at (a, b). */
  readonly objective: number;
  /** Weighted R² of the straight-line fit of log(−log c) on log k (the start of the other criteria). */
  readonly r2: number;
  /** Weighted Σ w·(c − exp(a·k^b))² at (a, b), comparable across criteria. */
  readonly sse: number;
}

const optionsSchema = z.object({
  weights: z
    .custom<ArrayLike<number>>(
      (v) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)),
      'an array of numbers',
    )
    .optional(),
  criterion: z.enum(['linearized', 'coverage', 'log-coverage']),
});

/**
 * Fits the exponentiated power law c(k) = exp(a·k^b) of coverage against samples k (Large Language Monkeys,
 * Brown et al. 2024). 'linearized' is the closed-form weighted line log(−log c) = log(−a) + b·log k; the
 * least-squares criteria run multi-start L-BFGS on p = [log(−a), b] (so a stays negative) from that line
 * and two fixed starts, and never return a point worse than the line. Coverage must lie strictly in (0, 1)
 * and k > 0; at least two distinct k need positive weight.
 */
export function fitExpPowerLaw(
  ks: ArrayLike<number>,
  coverage: ArrayLike<number>,
  options: FitExpPowerLawOptions,
): ExpPowerLawFit {
  const { weights, criterion } = parseOptions('core-tensor', 'options', optionsSchema, options);
  const n = ks.length;
  if (coverage.length !== n || n < 2) {
    throw statsError(
      'E_INPUT',
      `fitExpPowerLaw: need ≥ 2 (k, coverage) points of equal length, got ${n} k and ${coverage.length} coverage values`,
    );
  }
  if (weights !== undefined && weights.length !== n) {
    throw statsError(
      'E_SHAPE_MISMATCH',
      `fitExpPowerLaw: weights has ${weights.length} entries, expected one per point (${n})`,
    );
  }
  const lk = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = ks[i]!;
    const c = coverage[i]!;
    const wi = weights === undefined ? 1 : weights[i]!;
    if (!(k > 0 && Number.isFinite(k)))
      throw statsError('E_INPUT', `fitExpPowerLaw: ks[${i}] must be positive and finite, got ${k}`);
    if (!(c > 0 && c < 1))
      throw statsError('E_INPUT', `fitExpPowerLaw: coverage[${i}] must be in (0, 1), got ${c}`);
    if (!(wi >= 0 && Number.isFinite(wi)))
      throw statsError('E_INPUT', `fitExpPowerLaw: weights[${i}] must be finite and >= 0, got ${wi}`);
    lk[i] = Math.log(k);
    y[i] = Math.log(-Math.log(c));
    w[i] = wi;
  }

  // Weighted straight line by centred sums (two parameters: no need for QR).
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i]!;
    mx += w[i]! * lk[i]!;
    my += w[i]! * y[i]!;
  }
  if (!(sw > 0)) throw statsError('E_INPUT', 'fitExpPowerLaw: the weights sum to 0; give some point weight');
  mx /= sw;
  my /= sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = lk[i]! - mx;
    const dy = y[i]! - my;
    sxy += w[i]! * dx * dy;
    sxx += w[i]! * dx * dx;
    syy += w[i]! * dy * dy;
  }
  if (!(sxx > 0)) {
    throw statsError(
      'E_INPUT',
      'fitExpPowerLaw: all weighted k values are equal; the power law is not identifiable',
    );
  }
  const lineB = sxy / sxx;
  const lineLogMinusA = my - lineB * mx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;

  const finish = (logMinusA: number, b: number, objective: number): ExpPowerLawFit => {
    const a = -Math.exp(logMinusA);
    let sse = 0;
    for (let i = 0; i < n; i++) sse += w[i]! * (coverage[i]! - Math.exp(a * ks[i]! ** b)) ** 2;
    return { a, b, criterion, objective, r2, sse };
  };
  if (criterion === 'linearized') {
    let objective = 0;
    for (let i = 0; i < n; i++) objective += w[i]! * (y[i]! - lineLogMinusA - lineB * lk[i]!) ** 2;
    return finish(lineLogMinusA, lineB, 0.5 * objective);
  }

  // log ĉ = −exp(p0 + p1·log k); ĉ = exp(log ĉ). Weights enter as √w on residual and gradient, and are
  // skipped when absent so the unweighted arithmetic is exactly the plain least-squares one.
  const onCoverage = criterion === 'coverage';
  const root = weights === undefined ? undefined : Float64Array.from(w, Math.sqrt);
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = onCoverage ? coverage[i]! : Math.log(coverage[i]!);
    targets[i] = root === undefined ? t : root[i]! * t;
  }
  const model: CurveModel = (p, i, g) => {
    const logC = -Math.exp(p[0]! + p[1]! * lk[i]!);
    const scale = onCoverage ? Math.exp(logC) : 1;
    let v = onCoverage ? scale : logC;
    let d = scale * logC; // ∂v/∂p0
    if (root !== undefined) {
      v *= root[i]!;
      d *= root[i]!;
    }
    g[0] = d;
    g[1] = d * lk[i]!;
    return v;
  };
  const fit = fitCurve({
    parameterCount: 2,
    targets,
    model,
    starts: [
      [lineLogMinusA, lineB],
      [0, -0.5],
      [-1, -0.2],
    ],
  });
  // The objective at the line itself: the answer is never worse than the closed-form start.
  const g = new Float64Array(2);
  const line = Float64Array.of(lineLogMinusA, lineB);
  let lineObjective = 0;
  for (let i = 0; i < n; i++) lineObjective += 0.5 * (model(line, i, g) - targets[i]!) ** 2;
  if (!(fit.objective <= lineObjective)) return finish(lineLogMinusA, lineB, lineObjective);
  return finish(fit.params[0]!, fit.params[1]!, fit.objective);
}
