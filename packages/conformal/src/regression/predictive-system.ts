import { uniformSource } from '../core/conformal-p-values.js';
import { ceilTimes, floorTimes } from '../core/conformal-rank.js';
import { countBelow, countTies } from '../core/count-below.js';
import {
  checkAlpha,
  checkSameLength,
  finiteArray,
  type NumericArray,
  positiveArray,
} from '../core/validate.js';
import { conformalError } from '../errors.js';

/** A calibrated conformal predictive system: sorted signed (optionally σ-normalized) residuals. */
export interface PredictiveSystem {
  /** Ascending residuals r_i = (y_i − ŷ_i)/σ_i. */
  readonly residuals: Float64Array;
  readonly normalized: boolean;
}

/**
 * Calibrates a conformal predictive system (Vovk et al.; crepes `ConformalPredictiveSystem`): signed
 * residuals y − ŷ, or (y − ŷ)/σ with a difficulty estimate σ.
 */
export function calibratePredictiveSystem(input: {
  calY: NumericArray;
  calPredictions: NumericArray;
  calSigma?: NumericArray;
}): PredictiveSystem {
  checkSameLength({ calY: input.calY, calPredictions: input.calPredictions });
  const y = finiteArray(input.calY, 'calY');
  const p = finiteArray(input.calPredictions, 'calPredictions');
  const sigma = input.calSigma ? positiveArray(input.calSigma, 'calSigma') : undefined;
  if (sigma) checkSameLength({ calY: y, calSigma: sigma });
  const residuals = Float64Array.from(y, (v, i) => (v - p[i]!) / (sigma ? sigma[i]! : 1));
  return { residuals: residuals.sort(), normalized: sigma !== undefined };
}

/** Per-test-object scales σ_j (all 1 unless the system is normalized). */
export function scales(system: PredictiveSystem, m: number, sigma: NumericArray | undefined): Float64Array {
  if (system.normalized) {
    if (!sigma) throw conformalError('E_INPUT', 'this predictive system is normalized: pass testSigma');
    if (sigma.length !== m)
      throw conformalError('E_SHAPE_MISMATCH', `testSigma has ${sigma.length} values; expected ${m}`);
    return positiveArray(sigma, 'testSigma');
  }
  return new Float64Array(m).fill(1);
}

/**
 * Predictive CDF values Q_j(y_j) = (#{r_i < r} + τ(#{r_i = r} + 1))/(n+1), r = (y_j − ŷ_j)/σ_j, with τ
 * fixed (`tau`) or drawn from `createRandom(seed, 'conformal', 'cps')`. Q(Y) is exactly uniform with random τ.
 */
export function predictiveCdf(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  y: NumericArray,
  options: { tau?: number; seed?: number; testSigma?: NumericArray } = {},
): Float64Array {
  const pred = finiteArray(testPredictions, 'testPredictions');
  checkSameLength({ testPredictions: pred, y });
  const yy = finiteArray(y, 'y');
  const s = scales(system, pred.length, options.testSigma);
  const r = system.residuals;
  const n = r.length;
  const tau = uniformSource({ seed: options.seed ?? 0, u: options.tau }, 'cps');
  return Float64Array.from(pred, (mu, j) => {
    const z = (yy[j]! - mu) / s[j]!;
    const less = countBelow(r, z, false);
    const equal = countTies(r, less, z) - less;
    return (less + tau(j) * (equal + 1)) / (n + 1);
  });
}

/**
 * Quantiles of the predictive distributions: `upper` (default) ŷ + σ·r_(⌈p(n+1)⌉) (+∞ past n) satisfies
 * P(Y ≤ q) ≥ p; `lower` ŷ + σ·r_(⌊p(n+1)⌋) (−∞ at 0) satisfies P(Y < q) ≤ p.
 */
export function predictiveQuantiles(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  p: number,
  options: { side?: 'upper' | 'lower'; testSigma?: NumericArray } = {},
): Float64Array {
  checkAlpha(p, 'p');
  const pred = finiteArray(testPredictions, 'testPredictions');
  const s = scales(system, pred.length, options.testSigma);
  const r = system.residuals;
  const n = r.length;
  const k = options.side === 'lower' ? floorTimes(n + 1, p) : ceilTimes(n + 1, p);
  const q = k < 1 ? Number.NEGATIVE_INFINITY : k > n ? Number.POSITIVE_INFINITY : r[k - 1]!;
  return Float64Array.from(pred, (mu, j) => mu + s[j]! * q);
}

/** Central (1−α) interval of the predictive distributions: [lower α/2 quantile, upper 1−α/2 quantile]. */
export function predictiveInterval(
  system: PredictiveSystem,
  testPredictions: NumericArray,
  alpha: number,
  options: { testSigma?: NumericArray } = {},
): { lower: Float64Array; upper: Float64Array } {
  checkAlpha(alpha);
  return {
    lower: predictiveQuantiles(system, testPredictions, alpha / 2, { ...options, side: 'lower' }),
    upper: predictiveQuantiles(system, testPredictions, 1 - alpha / 2, { ...options, side: 'upper' }),
  };
}
