import { scalingError } from '../errors.js';
import type { ChinchillaData } from './chinchilla-objective.js';

export interface PreparedChinchillaData extends ChinchillaData {
  /** Indices (into the caller's arrays) of the rows kept. */
  readonly kept: readonly number[];
  /** Indices dropped by `dropHighestLoss`. */
  readonly dropped: readonly number[];
}

function checkColumn(name: string, values: ArrayLike<number>, length: number): void {
  if (values.length !== length) {
    throw scalingError(
      'E_INPUT',
      `${name} has ${values.length} values but params has ${length}; give one value per run`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v))
      throw scalingError('E_INPUT', `${name}[${i}] is NaN; remove the run or fix the value`);
    if (!Number.isFinite(v) || v <= 0) {
      throw scalingError(
        'E_INPUT',
        `${name}[${i}] = ${v} must be finite and > 0 (the law is fitted on its logarithm)`,
      );
    }
  }
}

/**
 * Validates (N, D, loss) and turns them into log arrays. Drops the K highest-loss runs the way Epoch does:
 * keep rows with loss < sorted(loss)[−K] (so ties with the K-th highest are dropped too).
 */
export function prepareChinchillaData(
  params: ArrayLike<number>,
  tokens: ArrayLike<number>,
  loss: ArrayLike<number>,
  dropHighestLoss: number,
  minimumPoints: number,
): PreparedChinchillaData {
  const n = params.length;
  checkColumn('params (N)', params, n);
  checkColumn('tokens (D)', tokens, n);
  checkColumn('loss', loss, n);
  if (dropHighestLoss >= n) {
    throw scalingError('E_INPUT', `dropHighestLoss = ${dropHighestLoss} would drop all ${n} runs`);
  }
  const kept: number[] = [];
  const dropped: number[] = [];
  if (dropHighestLoss > 0) {
    const sorted = Array.from(loss).sort((x, y) => x - y);
    const threshold = sorted[n - dropHighestLoss]!;
    for (let i = 0; i < n; i++) (loss[i]! < threshold ? kept : dropped).push(i);
  } else {
    for (let i = 0; i < n; i++) kept.push(i);
  }
  if (kept.length < minimumPoints) {
    throw scalingError(
      'E_INPUT',
      `only ${kept.length} runs${dropped.length > 0 ? ` after dropping ${dropped.length}` : ''}; ` +
        `the law has ${minimumPoints} parameters, so give at least ${minimumPoints} runs (many more for a stable fit)`,
    );
  }
  const logN = new Float64Array(kept.length);
  const logD = new Float64Array(kept.length);
  const logLoss = new Float64Array(kept.length);
  kept.forEach((row, i) => {
    logN[i] = Math.log(params[row]!);
    logD[i] = Math.log(tokens[row]!);
    logLoss[i] = Math.log(loss[row]!);
  });
  return { logN, logD, logLoss, kept, dropped };
}
