import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { binningOptionsSchema, reliabilityBins } from './reliability-bins.js';

export const eceOptionsSchema = binningOptionsSchema.extend({
  /** 'l1' = Σ w_b |acc_b − conf_b|; 'l2' = √(Σ w_b (acc_b − conf_b)²). */
  norm: z.enum(['l1', 'l2']).default('l1'),
});
export type EceOptions = z.input<typeof eceOptionsSchema>;

/** Expected calibration error over confidence bins (Naeini 2015; Guo et al. 2017 use 15 equal-width bins). */
export function ece(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: EceOptions = {},
): number {
  const { norm, ...binning } = parseOptions(PACKAGE, 'ece options', eceOptionsSchema, options);
  const bins = reliabilityBins(confidence, correct, binning);
  const n = confidence.length;
  let total = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    const gap = Math.abs(b.accuracy! - b.confidence!);
    total += (b.count / n) * (norm === 'l1' ? gap : gap * gap);
  }
  return norm === 'l1' ? total : Math.sqrt(total);
}

/** Maximum calibration error: the largest |acc_b − conf_b| over non-empty bins. */
export function mce(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: EceOptions = {},
): number {
  const { norm: _norm, ...binning } = parseOptions(PACKAGE, 'mce options', eceOptionsSchema, options);
  let worst = 0;
  for (const b of reliabilityBins(confidence, correct, binning)) {
    if (b.count > 0) worst = Math.max(worst, Math.abs(b.accuracy! - b.confidence!));
  }
  return worst;
}

/** Checks an n × K probability matrix and labels in 0..K−1. */
export function checkProbabilities(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
): number {
  if (probabilities.length !== labels.length) {
    throw evalError(
      'E_SHAPE_MISMATCH',
      `probabilities has ${probabilities.length} rows but labels has ${labels.length}`,
    );
  }
  if (probabilities.length === 0)
    throw evalError('E_INPUT', 'probabilities is empty; pass at least one row of class probabilities');
  const K = probabilities[0]!.length;
  if (K < 2) throw evalError('E_INPUT', 'probabilities needs at least 2 classes per row');
  probabilities.forEach((row, i) => {
    if (row.length !== K)
      throw evalError('E_SHAPE_MISMATCH', `probabilities[${i}] has ${row.length} classes, expected ${K}`);
    for (let k = 0; k < K; k++) {
      const p = row[k]!;
      if (!(p >= 0 && p <= 1))
        throw evalError('E_INPUT', `probabilities[${i}][${k}] must be in [0, 1], got ${p}`);
    }
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= K)
      throw evalError('E_INPUT', `labels[${i}] must be a class index in [0, ${K - 1}], got ${y}`);
  });
  return K;
}

/** Top-label ECE: confidence = max probability, correct = argmax equals the label (first max wins ties). */
export function topLabelEce(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: EceOptions = {},
): number {
  const K = checkProbabilities(probabilities, labels);
  const conf = new Float64Array(probabilities.length);
  const correct = new Uint8Array(probabilities.length);
  probabilities.forEach((row, i) => {
    let arg = 0;
    for (let k = 1; k < K; k++) if (row[k]! > row[arg]!) arg = k;
    conf[i] = row[arg]!;
    correct[i] = arg === labels[i] ? 1 : 0;
  });
  return ece(conf, correct, options);
}

/** Classwise ECE: mean over classes k of the ECE of p_k against 1{y = k}. */
export function classwiseEce(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: EceOptions = {},
): number {
  const K = checkProbabilities(probabilities, labels);
  let total = 0;
  for (let k = 0; k < K; k++) {
    const p = probabilities.map((row) => row[k]!);
    const hit = Array.from(labels, (y) => (y === k ? 1 : 0));
    total += ece(p, hit, options);
  }
  return total / K;
}
