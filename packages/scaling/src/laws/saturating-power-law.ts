import { createRandom, mean, minimizeLbfgs, multiStartLbfgs, quantile } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';
import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';

/** `L(x) = E + B · x^(−beta)`: an irreducible floor plus a power-law term (data or model size x). */
export interface SaturatingPowerLawParams {
  readonly E: number;
  readonly B: number;
  readonly beta: number;
}

export interface SaturatingPowerLawFit {
  readonly params: SaturatingPowerLawParams;
  /** ½ Σ (log L̂ − log L)² at the optimum. */
  readonly objective: number;
  readonly starts: number;
  readonly startsAtBest: number;
  /** max |∇| of the log-space objective at exit. */
  readonly gradientNorm: number;
  /** Residuals log L − log L̂ at each point, in input order. */
  readonly residuals: Float64Array;
}

export function saturatingPowerLaw(params: SaturatingPowerLawParams, x: number): number {
  return params.E + params.B * x ** -params.beta;
}

function toParams(theta: ArrayLike<number>): SaturatingPowerLawParams {
  return { E: Math.exp(theta[0]!), B: Math.exp(theta[1]!), beta: Math.exp(theta[2]!) };
}

/** ½ Σ r², r = log(E + B x^−β) − log y, over θ = (log E, log B, log β), with its gradient. */
function objective(logX: Float64Array, logY: Float64Array) {
  return (theta: Float64Array, gradient: Float64Array): number => {
    const E = Math.exp(theta[0]!);
    const B = Math.exp(theta[1]!);
    const beta = Math.exp(theta[2]!);
    gradient.fill(0);
    let value = 0;
    for (let i = 0; i < logX.length; i++) {
      const term = B * Math.exp(-beta * logX[i]!);
      const model = E + term;
      const r = Math.log(model) - logY[i]!;
      value += 0.5 * r * r;
      gradient[0]! += (r * E) / model;
      gradient[1]! += (r * term) / model;
      gradient[2]! += (r * -term * logX[i]! * beta) / model;
    }
    return value;
  };
}

function fitLog(logX: Float64Array, logY: Float64Array, starts: readonly Float64Array[]) {
  return multiStartLbfgs(objective(logX, logY), starts, { gradientTolerance: 1e-10, maxIterations: 500 });
}

/** Starts spread over the floor (as a share of the smallest loss) and the exponent; B matches the first point. */
function startGrid(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array[] {
  let smallest = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! < x[smallest]!) smallest = i;
  const minimum = Math.min(...Array.from(y));
  const starts: Float64Array[] = [];
  for (const share of [0.05, 0.3, 0.6, 0.9]) {
    for (const beta of [0.1, 0.3, 0.6, 1.2]) {
      const E = share * minimum;
      const B = Math.max(1e-12, (y[smallest]! - E) * x[smallest]! ** beta);
      starts.push(Float64Array.of(Math.log(E), Math.log(B), Math.log(beta)));
    }
  }
  return starts;
}

/**
 * Least squares in log space (relative error), multi-started over a 16-point grid, so a
 * floor near the data and a flat curve are both found. Needs x > 0, L > 0 and ≥ 3 points.
 */
export function fitSaturatingPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>): SaturatingPowerLawFit {
  checkSameLength(['x', 'loss'], [x, y]);
  checkValues('x', x, true);
  checkValues('loss', y, true);
  checkEnoughPoints(x.length, 3, 'saturating power law');
  const logX = Float64Array.from(x, Math.log);
  const logY = Float64Array.from(y, Math.log);
  const result = fitLog(logX, logY, startGrid(x, y));
  const params = toParams(result.best.x);
  return {
    params,
    objective: result.best.value,
    starts: result.starts,
    startsAtBest: result.startsAtBest,
    gradientNorm: result.best.gradientNorm,
    residuals: Float64Array.from(logY, (value, i) => value - Math.log(saturatingPowerLaw(params, x[i]!))),
  };
}

export interface PowerLawBand {
  readonly x: number;
  readonly prediction: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The fitted curve at `at` with a residual-bootstrap interval: each replicate refits data
 * L̂·exp(r*) with residuals r* resampled (seeded) and the band is the central `level`
 * share of the replicate curves, widened by a resampled residual for a prediction interval.
 * Residuals are centred and scaled by √(n/(n−3)) first (Davison & Hinkley's modified
 * residuals): raw least-squares residuals understate the noise when the three parameters
 * nearly interpolate the points, which is the usual case for a handful of runs.
 */
export function powerLawPredictionBand(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  at: readonly number[],
  options: { level?: number; rounds?: number; seed?: number } = {},
): PowerLawBand[] {
  const level = options.level ?? 0.9;
  const rounds = options.rounds ?? 200;
  const fit = fitSaturatingPowerLaw(x, y);
  const logX = Float64Array.from(x, Math.log);
  const fitted = Float64Array.from(x, (value) => Math.log(saturatingPowerLaw(fit.params, value)));
  const start = Float64Array.of(Math.log(fit.params.E), Math.log(fit.params.B), Math.log(fit.params.beta));
  const replicates = at.map(() => new Float64Array(rounds));
  const n = fitted.length;
  if (n <= 3) {
    throw scalingError(
      'E_INPUT',
      `a prediction band needs at least 4 points (3 parameters leave no residual), got ${n}; add runs`,
    );
  }
  const centre = mean(fit.residuals);
  const inflation = Math.sqrt(n / (n - 3));
  const residuals = Float64Array.from(fit.residuals, (r) => (r - centre) * inflation);
  for (let round = 0; round < rounds; round++) {
    const random = createRandom(options.seed ?? 0, 'power-law-band', round);
    const logY = Float64Array.from(fitted, (value, i) => value + residuals[random.integer(i, n)]!);
    const refit = toParams(minimizeLbfgs(objective(logX, logY), start, { gradientTolerance: 1e-10 }).x);
    const noise = residuals[random.integer(n + 1, n)]!;
    at.forEach((point, k) => {
      replicates[k]![round] = saturatingPowerLaw(refit, point) * Math.exp(noise);
    });
  }
  return at.map((point, k) => ({
    x: point,
    prediction: saturatingPowerLaw(fit.params, point),
    low: quantile(replicates[k]!, (1 - level) / 2),
    high: quantile(replicates[k]!, (1 + level) / 2),
  }));
}
