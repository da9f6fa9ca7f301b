import { binomialCdf, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { alphaSchema, numericArraySchema } from '../core/validate.js';
import { conformalError, PACKAGE_NAME } from '../errors.js';

/**
 * Loss table shared by CRC, RCPS and LTT: `losses[i][l]` = L_i(λ_l) for calibration point i and candidate
 * λ_l, with `lambdas` ascending and losses non-increasing in λ (larger λ = more conservative).
 */
const lossTableFields = {
  losses: z.array(numericArraySchema).min(1),
  lambdas: numericArraySchema,
  /** Target risk level α. */
  alpha: alphaSchema,
  /** Upper bound B of the loss (losses must lie in [0, B]). Default 1. */
  maxLoss: z.number().positive().finite().default(1),
};

interface LossTable {
  readonly n: number;
  readonly L: number;
  readonly lambdas: Float64Array;
  /** Empirical risk R̂_n(λ_l). */
  readonly risk: Float64Array;
  /** Column-major copies for sequential bounds: column[l][i]. */
  readonly columns: Float64Array[];
}

function readTable(
  losses: readonly ArrayLike<number>[],
  lambdas: ArrayLike<number>,
  maxLoss: number,
): LossTable {
  const L = lambdas.length;
  const lam = Float64Array.from(lambdas);
  for (let l = 0; l < L; l++) {
    if (!Number.isFinite(lam[l]!))
      throw conformalError('E_INPUT', `lambdas[${l}] is ${lam[l]}; must be finite`);
    if (l > 0 && !(lam[l]! > lam[l - 1]!))
      throw conformalError('E_INPUT', 'lambdas must be strictly increasing');
  }
  const n = losses.length;
  const columns = Array.from({ length: L }, () => new Float64Array(n));
  const risk = new Float64Array(L);
  losses.forEach((row, i) => {
    if (row.length !== L)
      throw conformalError(
        'E_SHAPE_MISMATCH',
        `losses[${i}] has ${row.length} values; expected one per lambda (${L})`,
      );
    for (let l = 0; l < L; l++) {
      const v = row[l]!;
      if (!Number.isFinite(v) || v < 0 || v > maxLoss) {
        throw conformalError(
          'E_INPUT',
          `losses[${i}][${l}] is ${v}; losses must lie in [0, maxLoss=${maxLoss}]`,
        );
      }
      columns[l]![i] = v;
      risk[l] = risk[l]! + v / n;
    }
  });
  return { n, L, lambdas: lam, risk, columns };
}

export const crcSchema = z.object(lossTableFields).strict();
export type ConformalRiskControlOptions = z.input<typeof crcSchema>;

/**
 * Conformal risk control (Angelopoulos et al. 2022): λ̂ = inf{λ : (n/(n+1))·R̂_n(λ) + B/(n+1) ≤ α}, giving
 * E[L_{n+1}(λ̂)] ≤ α for losses non-increasing in λ. `index` −1 / `lambda` null when no candidate qualifies.
 */
export function conformalRiskControl(options: ConformalRiskControlOptions): {
  lambda: number | null;
  index: number;
  risk: Float64Array;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', crcSchema, options);
  const t = readTable(opts.losses, opts.lambdas, opts.maxLoss);
  const { n } = t;
  for (let l = 0; l < t.L; l++) {
    if ((n / (n + 1)) * t.risk[l]! + opts.maxLoss / (n + 1) <= opts.alpha * (1 + 1e-12)) {
      return { lambda: t.lambdas[l]!, index: l, risk: t.risk };
    }
  }
  return { lambda: null, index: -1, risk: t.risk };
}

/** Hoeffding upper confidence bound R̂ + B·√(log(1/δ)/(2n)). */
export function hoeffdingUpperBound(mean: number, n: number, delta: number, maxLoss = 1): number {
  return mean + maxLoss * Math.sqrt(Math.log(1 / delta) / (2 * n));
}

/** Empirical Bernstein (Maurer & Pontil 2009) upper bound for losses in [0, B]. */
export function bernsteinUpperBound(values: Float64Array, delta: number, maxLoss = 1): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return (
    mean +
    Math.sqrt((2 * variance * Math.log(2 / delta)) / n) +
    (7 * maxLoss * Math.log(2 / delta)) / (3 * Math.max(1, n - 1))
  );
}

/**
 * Waudby-Smith–Ramdas betting upper bound (as in Bates et al.'s RCPS code, losses scaled to [0, 1]):
 * the smallest μ with max_t Π_{i≤t}(1 − ν_i(x_i − μ)) ≥ 1/δ, found by bisection.
 */
export function wsrUpperBound(values: Float64Array, delta: number, maxLoss = 1): number {
  const n = values.length;
  const x = Float64Array.from(values, (v) => v / maxLoss);
  const nu = new Float64Array(n);
  let sum = 0;
  let sumSq = 0;
  let prevSigma2 = 0.25;
  for (let t = 0; t < n; t++) {
    nu[t] = Math.min(1, Math.sqrt((2 * Math.log(1 / delta)) / (n * prevSigma2)));
    sum += x[t]!;
    const muHat = (sum + 0.5) / (t + 2);
    sumSq += (x[t]! - muHat) ** 2;
    prevSigma2 = (sumSq + 0.25) / (t + 2);
  }
  const logWealthExceeds = (mu: number): boolean => {
    let logK = 0;
    for (let t = 0; t < n; t++) {
      const factor = 1 - nu[t]! * (x[t]! - mu);
      if (factor <= 0) return false;
      logK += Math.log(factor);
      if (logK >= Math.log(1 / delta)) return true;
    }
    return false;
  };
  if (!logWealthExceeds(1)) return maxLoss;
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (logWealthExceeds(mid)) hi = mid;
    else lo = mid;
  }
  return hi * maxLoss;
}

export const rcpsSchema = z
  .object({
    ...lossTableFields,
    /** Failure probability δ: P(R(λ̂) > α) ≤ δ. */
    delta: alphaSchema,
    bound: z.enum(['hoeffding', 'bernstein', 'wsr']).default('hoeffding'),
  })
  .strict();
export type RcpsOptions = z.input<typeof rcpsSchema>;

/**
 * Risk-controlling prediction sets (Bates et al. 2021): λ̂ = smallest λ such that R̂⁺(λ') < α for every
 * λ' ≥ λ (scanning down from the largest candidate). `lambda` null when even the largest fails.
 */
export function rcps(options: RcpsOptions): {
  lambda: number | null;
  index: number;
  upperBounds: Float64Array;
} {
  const opts = parseOptions(PACKAGE_NAME, 'options', rcpsSchema, options);
  const t = readTable(opts.losses, opts.lambdas, opts.maxLoss);
  const upperBounds = Float64Array.from(t.columns, (col, l) =>
    opts.bound === 'hoeffding'
      ? hoeffdingUpperBound(t.risk[l]!, t.n, opts.delta, opts.maxLoss)
      : opts.bound === 'bernstein'
        ? bernsteinUpperBound(col, opts.delta, opts.maxLoss)
        : wsrUpperBound(col, opts.delta, opts.maxLoss),
  );
  let index = -1;
  for (let l = t.L - 1; l >= 0; l--) {
    if (upperBounds[l]! < opts.alpha) index = l;
    else break;
  }
  return { lambda: index < 0 ? null : t.lambdas[index]!, index, upperBounds };
}

/**
 * Hoeffding–Bentkus p-value for H: R(λ) > α given empirical risk R̂ over n points (losses in [0, 1]):
 * min(exp(−n·h(min(R̂, α), α)), e·P(Bin(n, α) ≤ ⌈nR̂⌉)), h(a, b) = a log(a/b) + (1−a) log((1−a)/(1−b)).
 */
export function hoeffdingBentkusPValue(riskHat: number, n: number, alpha: number): number {
  const a = Math.min(riskHat, alpha);
  const h = (x: number, y: number) =>
    (x > 0 ? x * Math.log(x / y) : 0) + (x < 1 ? (1 - x) * Math.log((1 - x) / (1 - y)) : 0);
  const hoeffding = Math.exp(-n * h(a, alpha));
  const bentkus = Math.E * binomialCdf(Math.ceil(n * riskHat - 1e-9), n, alpha);
  return Math.min(1, hoeffding, bentkus);
}

export const learnThenTestSchema = z
  .object({
    ...lossTableFields,
    delta: alphaSchema,
    /** FWER control: Bonferroni, Holm, or fixed sequence from the largest (safest) λ down. */
    fwer: z.enum(['bonferroni', 'holm', 'fixed-sequence']).default('holm'),
  })
  .strict();
export type LearnThenTestOptions = z.input<typeof learnThenTestSchema>;

/**
 * Learn then test (Angelopoulos et al. 2021): Hoeffding–Bentkus p-values for H_l: R(λ_l) > α (losses
 * rescaled to [0, 1] by maxLoss), then FWER control at δ. Every returned λ satisfies R(λ) ≤ α with
 * probability ≥ 1−δ simultaneously; an empty list ("no valid λ") is a legitimate outcome.
 */
export function learnThenTest(options: LearnThenTestOptions): { valid: number[]; pValues: Float64Array } {
  const opts = parseOptions(PACKAGE_NAME, 'options', learnThenTestSchema, options);
  const t = readTable(opts.losses, opts.lambdas, opts.maxLoss);
  const alpha = opts.alpha / opts.maxLoss;
  const pValues = Float64Array.from(t.risk, (r) => hoeffdingBentkusPValue(r / opts.maxLoss, t.n, alpha));
  const L = t.L;
  const valid: number[] = [];
  if (opts.fwer === 'bonferroni') {
    for (let l = 0; l < L; l++) if (pValues[l]! <= opts.delta / L) valid.push(l);
  } else if (opts.fwer === 'holm') {
    const order = Array.from(pValues.keys()).sort((a, b) => pValues[a]! - pValues[b]!);
    for (let r = 0; r < L; r++) {
      const l = order[r]!;
      if (pValues[l]! <= opts.delta / (L - r)) valid.push(l);
      else break;
    }
    valid.sort((a, b) => a - b);
  } else {
    for (let l = L - 1; l >= 0; l--) {
      if (pValues[l]! <= opts.delta) valid.unshift(l);
      else break;
    }
  }
  return { valid, pValues };
}
