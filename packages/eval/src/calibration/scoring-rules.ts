import { evalError } from '../errors.js';
import { checkProbabilities } from './ece.js';
import { checkCalibrationInput } from './reliability-bins.js';

/** Binary Brier score mean (p − y)² with p the positive-class probability (sklearn `brier_score_loss`). */
export function brierScore(probability: ArrayLike<number>, outcome: ArrayLike<number | boolean>): number {
  checkCalibrationInput(probability, outcome);
  let s = 0;
  for (let i = 0; i < probability.length; i++)
    s += (probability[i]! - (outcome[i] === true || outcome[i] === 1 ? 1 : 0)) ** 2;
  return s / probability.length;
}

/** Multiclass Brier score: mean over rows of Σ_k (p_k − 1{y = k})². */
export function brierScoreMulticlass(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
): number {
  const K = checkProbabilities(probabilities, labels);
  let s = 0;
  probabilities.forEach((row, i) => {
    for (let k = 0; k < K; k++) s += (row[k]! - (labels[i] === k ? 1 : 0)) ** 2;
  });
  return s / probabilities.length;
}

/** Multiclass log loss −mean log p_y, probabilities clipped to [eps, 1 − eps]. */
export function logLoss(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  eps = 1e-15,
): number {
  checkProbabilities(probabilities, labels);
  if (!(eps > 0 && eps < 0.5)) throw evalError('E_INPUT', `eps must be in (0, 0.5), got ${eps}`);
  let s = 0;
  probabilities.forEach((row, i) => {
    s -= Math.log(Math.min(1 - eps, Math.max(eps, row[labels[i]!]!)));
  });
  return s / probabilities.length;
}

/** Binary log loss with p the positive-class probability. */
export function logLossBinary(
  probability: ArrayLike<number>,
  outcome: ArrayLike<number | boolean>,
  eps = 1e-15,
): number {
  checkCalibrationInput(probability, outcome);
  let s = 0;
  for (let i = 0; i < probability.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probability[i]!));
    s -= outcome[i] === true || outcome[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return s / probability.length;
}
