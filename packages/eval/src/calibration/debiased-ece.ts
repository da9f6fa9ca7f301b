import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { checkCalibrationInput, reliabilityBins } from './reliability-bins.js';

export const debiasedEceOptionsSchema = z
  .object({
    bins: z.number().int().min(1).default(15),
    /**
     * 'verified': equal-mass bins as in uncertainty-calibration's `get_equal_bins` (sorted confidences cut
     * into chunks of ⌈n/bins⌉, boundaries at the midpoints between chunks, a value on a boundary goes to the
     * lower bin; needs n ≥ bins); 'distinct': one bin per distinct confidence value (the package's
     * `get_discrete_bins`, which `get_calibration_error` picks itself when there are fewer than n/4 distinct
     * values; `bins` is ignored); 'quantile' / 'uniform': the bins of `reliabilityBins` (numpy array_split
     * sizes / equal width with `edge`).
     */
    strategy: z.enum(['verified', 'distinct', 'quantile', 'uniform']).default('verified'),
    edge: z.enum(['right', 'left']).default('right'),
  })
  .strict();
export type DebiasedEceOptions = z.input<typeof debiasedEceOptionsSchema>;

export interface DebiasedEce {
  /** Debiased L2 calibration error √max(0, squared). */
  readonly ece: number;
  /** Unbiased estimate of the binned squared L2 calibration error; can be negative. */
  readonly squared: number;
  /** Plug-in L2 calibration error √(Σ_b w_b (p̄_b − ȳ_b)²) on the same bins, for comparison. */
  readonly plugin: number;
  /** Number of non-empty bins. */
  readonly bins: number;
}

/** Per-bin sums for the 'verified' equal-mass or the 'distinct' scheme (upper bin boundaries, last = 1). */
function boundaryBins(
  confidence: ArrayLike<number>,
  y: Uint8Array,
  bins: number,
  distinct: boolean,
): { count: number[]; confSum: number[]; ySum: number[] } {
  const n = confidence.length;
  if (!distinct && n < bins)
    throw evalError(
      'E_INPUT',
      `debiasedEce needs at least bins=${bins} predictions for equal-mass bins, got ${n}; lower bins`,
    );
  const sorted = Float64Array.from(confidence).sort();
  const cuts = new Set<number>([1]);
  if (distinct) {
    // Midpoints between consecutive distinct values, so each value is alone in its bin.
    for (let i = 1; i < n; i++)
      if (sorted[i]! !== sorted[i - 1]!) cuts.add((sorted[i - 1]! + sorted[i]!) / 2);
  } else {
    const size = Math.ceil(n / bins);
    for (let end = size; end < n; end += size) cuts.add((sorted[end - 1]! + sorted[end]!) / 2);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const count = new Array<number>(bounds.length).fill(0);
  const confSum = new Array<number>(bounds.length).fill(0);
  const ySum = new Array<number>(bounds.length).fill(0);
  for (let i = 0; i < n; i++) {
    const c = confidence[i]!;
    // First boundary ≥ c (numpy searchsorted, side 'left').
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid]! >= c) hi = mid;
      else lo = mid + 1;
    }
    count[lo]!++;
    confSum[lo]! += c;
    ySum[lo]! += y[i]!;
  }
  return { count, confSum, ySum };
}

/**
 * Debiased L2 calibration error of Kumar, Liang & Ma (2019, "Verified Uncertainty Calibration"), as
 * `get_calibration_error(probs, labels, p=2, debias=True)` of their `uncertainty-calibration` package computes
 * it on equal-mass bins ('verified'; 'distinct' for its discrete-output case). With bins b of n_b items,
 * weights w_b = n_b/n, mean confidence p̄_b and accuracy ȳ_b:
 *
 *   squared = Σ_{b: n_b ≥ 2} w_b [ (p̄_b − ȳ_b)² − ȳ_b(1 − ȳ_b)/(n_b − 1) ],   ece = √max(0, squared).
 *
 * The plug-in (p̄_b − ȳ_b)² overestimates the squared gap by Var(ȳ_b) = μ_b(1 − μ_b)/n_b, and
 * ȳ_b(1 − ȳ_b)/(n_b − 1) is unbiased for that variance, so `squared` is unbiased for Σ w_b (p̄_b − μ_b)² given
 * the bins (bins with one item contribute 0, as in the package).
 */
export function debiasedEce(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: DebiasedEceOptions = {},
): DebiasedEce {
  const { bins, strategy, edge } = parseOptions(
    PACKAGE,
    'debiasedEce options',
    debiasedEceOptionsSchema,
    options,
  );
  checkCalibrationInput(confidence, correct);
  const n = confidence.length;
  const y = Uint8Array.from(correct as ArrayLike<number | boolean>, (v) => (v === true || v === 1 ? 1 : 0));
  let count: number[];
  let confSum: number[];
  let ySum: number[];
  if (strategy === 'verified' || strategy === 'distinct') {
    ({ count, confSum, ySum } = boundaryBins(confidence, y, bins, strategy === 'distinct'));
  } else {
    const rb = reliabilityBins(confidence, correct, { bins, strategy, edge });
    count = rb.map((b) => b.count);
    confSum = rb.map((b) => (b.count > 0 ? b.confidence! * b.count : 0));
    ySum = rb.map((b) => (b.count > 0 ? b.accuracy! * b.count : 0));
  }
  let plugin = 0;
  let squared = 0;
  let occupied = 0;
  count.forEach((nb, b) => {
    if (nb === 0) return;
    occupied++;
    const acc = ySum[b]! / nb;
    const gap2 = (confSum[b]! / nb - acc) ** 2;
    plugin += (nb / n) * gap2;
    if (nb >= 2) squared += (nb / n) * (gap2 - (acc * (1 - acc)) / (nb - 1));
  });
  return { ece: Math.sqrt(Math.max(0, squared)), squared, plugin: Math.sqrt(plugin), bins: occupied };
}
