import { scalingError } from '../errors.js';

export interface EarlyStoppingDecision {
  /** P(final value beats `best`) under the posterior predictive. */
  readonly probabilityOfImprovement: number;
  /** True when that probability is below the threshold: stop this run. */
  readonly stop: boolean;
}

/**
 * LC-PFN-style predictive early stopping: stop a run when the predictive probability that its final value
 * beats the best final value seen so far falls below `threshold` (default 0.05).
 */
export function predictiveEarlyStopping(
  horizonSamples: ArrayLike<number>,
  best: number,
  options: { readonly threshold?: number; readonly direction?: 'increasing' | 'decreasing' } = {},
): EarlyStoppingDecision {
  const threshold = options.threshold ?? 0.05;
  if (!(threshold > 0 && threshold < 1))
    throw scalingError('E_INPUT', `threshold ${threshold} must be in (0, 1)`);
  if (horizonSamples.length === 0) throw scalingError('E_INPUT', 'no predictive samples given');
  const better = options.direction === 'decreasing' ? (v: number) => v < best : (v: number) => v > best;
  let count = 0;
  for (let i = 0; i < horizonSamples.length; i++) if (better(horizonSamples[i]!)) count++;
  const probabilityOfImprovement = count / horizonSamples.length;
  return { probabilityOfImprovement, stop: probabilityOfImprovement < threshold };
}
