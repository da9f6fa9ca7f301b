import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { sameLength } from '../validate.js';

export const binningOptionsSchema = z
  .object({
    bins: z.number().int().min(1).default(15),
    /** 'uniform' equal-width bins on [0, 1]; 'quantile' equal-mass bins (adaptive ECE, Nixon et al. 2019). */
    strategy: z.enum(['uniform', 'quantile']).default('uniform'),
    /**
     * Equal-width edge rule: 'right' = (lo, hi] with the first bin [0, hi] (sklearn `calibration_curve`);
     * 'left' = [lo, hi) with the last bin [lo, 1]. Edges are i/bins.
     */
    edge: z.enum(['right', 'left']).default('right'),
  })
  .strict();
export type BinningOptions = z.input<typeof binningOptionsSchema>;

export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Mean confidence in the bin (null when empty). */
  readonly confidence: number | null;
  /** Fraction correct in the bin (null when empty). */
  readonly accuracy: number | null;
}

/** Validates confidences in [0, 1] and 0/1 (or boolean) outcomes. */
export function checkCalibrationInput(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
): void {
  sameLength('confidence', confidence, 'correct', correct);
  if (confidence.length === 0)
    throw evalError('E_INPUT', 'confidence is empty; pass at least one prediction');
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    if (typeof c !== 'number' || !(c >= 0 && c <= 1))
      throw evalError('E_INPUT', `confidence[${i}] must be in [0, 1], got ${String(c)}`);
    const y = correct[i];
    if (!(y === 0 || y === 1 || y === true || y === false))
      throw evalError('E_INPUT', `correct[${i}] must be 0/1 or boolean, got ${String(y)}`);
  }
}

/** Reliability-diagram data: per-bin count, mean confidence and accuracy (all bins, empty ones with nulls). */
export function reliabilityBins(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: BinningOptions = {},
): ReliabilityBin[] {
  const { bins, strategy, edge } = parseOptions(
    PACKAGE,
    'calibration binning options',
    binningOptionsSchema,
    options,
  );
  checkCalibrationInput(confidence, correct);
  const n = confidence.length;
  const assignment = new Int32Array(n);
  const edges: number[] = [];
  if (strategy === 'uniform') {
    for (let b = 0; b <= bins; b++) edges.push(b / bins);
    for (let i = 0; i < n; i++) {
      const c = confidence[i]!;
      // Smallest b with c ≤ edges[b+1] ('right') or c < edges[b+1] ('left'), by binary search.
      let lo = 0;
      let hi = bins - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const upper = edges[mid + 1]!;
        if (edge === 'right' ? c <= upper : c < upper) hi = mid;
        else lo = mid + 1;
      }
      assignment[i] = lo;
    }
  } else {
    // Equal-mass: sort, then numpy.array_split sizes (the first n mod bins groups get one extra item).
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[a]! - confidence[b]!);
    const base = Math.floor(n / bins);
    const extra = n % bins;
    let pos = 0;
    for (let b = 0; b < bins; b++) {
      const size = base + (b < extra ? 1 : 0);
      for (let k = 0; k < size; k++) assignment[order[pos++]!] = b;
    }
    pos = 0;
    for (let b = 0; b < bins; b++) {
      const size = base + (b < extra ? 1 : 0);
      edges.push(size > 0 ? confidence[order[pos]!]! : (edges[b - 1] ?? 0));
      pos += size;
    }
    edges.push(n > 0 ? confidence[order[n - 1]!]! : 1);
  }
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const accSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = assignment[i]!;
    count[b]!++;
    confSum[b] = confSum[b]! + confidence[i]!;
    accSum[b] = accSum[b]! + (correct[i] === true || correct[i] === 1 ? 1 : 0);
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: edges[b]!,
    hi: edges[b + 1]!,
    count: count[b]!,
    confidence: count[b]! > 0 ? confSum[b]! / count[b]! : null,
    accuracy: count[b]! > 0 ? accSum[b]! / count[b]! : null,
  }));
}
