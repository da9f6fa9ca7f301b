import {
  fitCurve,
  fitExpPowerLaw,
  passAtKInputProblem,
  passAtKUnchecked,
  verifierResampling,
} from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';
import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';

/**
 * Unbiased pass@k = 1 − C(n−c, k)/C(n, k) from n samples with c correct (Chen et al. 2021), as a stable
 * product: core-tensor's `passAtK`, with this package's error prefix. Needs integers 0 <= c <= n, 1 <= k <= n.
 */
export function passAtK(n: number, c: number, k: number): number {
  const problem = passAtKInputProblem(n, c, k);
  if (problem !== undefined) throw scalingError('E_INPUT', `passAtK: ${problem}`);
  return passAtKUnchecked(n, c, k);
}

/** Large Language Monkeys coverage law c(k) = exp(a·k^b), a < 0, b < 0. */
export interface CoverageLaw {
  readonly a: number;
  readonly b: number;
}

export function coverageAt(law: CoverageLaw, k: number): number {
  return Math.exp(law.a * k ** law.b);
}

/**
 * Fits c(k) = exp(a·k^b) by least squares on log c, started from the linearised fit
 * log(−log c) = log(−a) + b·log k: core-tensor's `fitExpPowerLaw` with the 'log-coverage' criterion.
 * Coverage values must lie in (0, 1).
 */
export function fitCoverage(
  samples: ArrayLike<number>,
  coverage: ArrayLike<number>,
): CoverageLaw & { objective: number } {
  checkSameLength(['samples', 'coverage'], [samples, coverage]);
  checkValues('samples', samples, true);
  checkValues('coverage', coverage, true);
  for (let i = 0; i < coverage.length; i++) {
    if (coverage[i]! >= 1) {
      throw scalingError(
        'E_INPUT',
        `coverage[${i}] = ${coverage[i]} must be < 1 (the law never reaches full coverage)`,
      );
    }
  }
  checkEnoughPoints(samples.length, 2, 'coverage law');
  if (Array.prototype.every.call(samples, (k: number) => k === samples[0])) {
    throw scalingError(
      'E_NUMERIC',
      'the regression is singular (collinear or constant features); add more varied points or a ridge penalty',
    );
  }
  const fit = fitExpPowerLaw(samples, coverage, { criterion: 'log-coverage' });
  return { a: fit.a, b: fit.b, objective: fit.objective };
}

/**
 * Accuracy of "resample until the verifier accepts, at most k tries" (Stroebl et al., inference fLaws):
 * p_c·(1 − (1 − p_c − p_fp)^k)/(p_c + p_fp). p_fp is the absolute per-sample rate of accepted wrong answers
 * (eval's `verifierCeiling` takes the conditional rate f = p_fp/(1 − p_c)); the math is core-tensor's
 * `verifierResampling`.
 */
export function verifierAccuracy(pCorrect: number, pFalsePositive: number, k: number): number {
  checkProbabilities(pCorrect, pFalsePositive);
  return verifierResampling(pCorrect, pFalsePositive, k).correct;
}

/** The k → ∞ ceiling p_c/(p_c + p_fp): an imperfect verifier caps accuracy whatever the compute. */
export function verifierCeiling(pCorrect: number, pFalsePositive: number): number {
  checkProbabilities(pCorrect, pFalsePositive);
  return verifierResampling(pCorrect, pFalsePositive).ceiling;
}

/** Expected utility with reward 1 for a correct answer and −cost for an accepted wrong one. */
export function verifierUtility(pCorrect: number, pFalsePositive: number, k: number, cost: number): number {
  checkProbabilities(pCorrect, pFalsePositive);
  const r = verifierResampling(pCorrect, pFalsePositive, k);
  return r.correct - cost * r.falsePositive;
}

/** The k in 1..maxK maximising the mean utility over heterogeneous problems. */
export function optimalVerifierBudget(
  problems: readonly { readonly pCorrect: number; readonly pFalsePositive: number }[],
  cost: number,
  maxK = 1000,
): { k: number; utility: number } {
  if (problems.length === 0)
    throw scalingError('E_INPUT', 'optimalVerifierBudget needs at least one problem');
  let best = { k: 1, utility: Number.NEGATIVE_INFINITY };
  for (let k = 1; k <= maxK; k++) {
    let u = 0;
    for (const p of problems) u += verifierUtility(p.pCorrect, p.pFalsePositive, k, cost);
    u /= problems.length;
    if (u > best.utility + 1e-15) best = { k, utility: u };
  }
  return best;
}

/** Recovers (p_c, p_fp) from accuracy measured at several budgets k, by least squares in logit space. */
export function fitVerifier(
  budgets: ArrayLike<number>,
  accuracy: ArrayLike<number>,
): { pCorrect: number; pFalsePositive: number; ceiling: number; objective: number } {
  checkSameLength(['budgets', 'accuracy'], [budgets, accuracy]);
  checkValues('budgets', budgets, true);
  checkValues('accuracy', accuracy, false);
  checkEnoughPoints(budgets.length, 2, 'verifier law');
  const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
  // p = [logit p_c, logit p_fp]
  const fit = fitCurve({
    parameterCount: 2,
    targets: accuracy,
    model: (p, i, g) => {
      const pc = sigmoid(p[0]!);
      const pf = sigmoid(p[1]!);
      const k = budgets[i]!;
      const s = pc + pf;
      const q = 1 - s;
      const qk = q ** k;
      const value = (pc * (1 - qk)) / s;
      // ∂/∂pc and ∂/∂pf, then the sigmoid's derivative.
      const dqk = k * q ** (k - 1);
      const dPc = (1 - qk) / s - (pc * (1 - qk)) / (s * s) + (pc * dqk) / s;
      const dPf = -(pc * (1 - qk)) / (s * s) + (pc * dqk) / s;
      g[0] = dPc * pc * (1 - pc);
      g[1] = dPf * pf * (1 - pf);
      return value;
    },
    starts: [
      [-2, -2],
      [0, -3],
      [-3, 0],
      [1, 1],
    ],
  });
  const pCorrect = sigmoid(fit.params[0]!);
  const pFalsePositive = sigmoid(fit.params[1]!);
  return {
    pCorrect,
    pFalsePositive,
    ceiling: pCorrect / (pCorrect + pFalsePositive),
    objective: fit.objective,
  };
}

function checkProbabilities(pCorrect: number, pFalsePositive: number): void {
  if (!(pCorrect >= 0 && pFalsePositive >= 0 && pCorrect + pFalsePositive <= 1)) {
    throw scalingError(
      'E_INPUT',
      `need p_correct >= 0, p_false_positive >= 0 and their sum <= 1, got ${pCorrect} and ${pFalsePositive}`,
    );
  }
}
