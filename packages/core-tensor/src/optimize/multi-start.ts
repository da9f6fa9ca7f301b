import type { ProgressCallback } from '../progress.js';
import {
  type LbfgsOptions,
  type LbfgsResult,
  type LbfgsStatus,
  minimizeLbfgs,
  type ObjectiveWithGradient,
} from './lbfgs.js';

export interface MultiStartResult {
  readonly best: LbfgsResult;
  /** Index of the start that produced `best`. */
  readonly bestStart: number;
  readonly starts: number;
  /** Starts whose final objective is within `bestTolerance` (relative) of the best. */
  readonly startsAtBest: number;
  /** How many starts ended for each reason. */
  readonly statusCounts: Readonly<Partial<Record<LbfgsStatus, number>>>;
  /** Final objective of every start, in start order. */
  readonly values: Float64Array;
  /** End points of every start (for re-use as bootstrap starts). */
  readonly endpoints: readonly Float64Array[];
}

export type MultiStartOptions = LbfgsOptions & {
  /** Relative tolerance for counting a start as having reached the best objective (default 1e-6). */
  readonly bestTolerance?: number;
  readonly onProgress?: ProgressCallback;
  readonly label?: string;
};

/** Runs L-BFGS from every start and keeps the lowest finite objective (ties: the earliest start). */
export function multiStartLbfgs(
  f: ObjectiveWithGradient,
  starts: readonly ArrayLike<number>[],
  options: MultiStartOptions,
): MultiStartResult {
  const values = new Float64Array(starts.length);
  const endpoints: Float64Array[] = [];
  const statusCounts: Partial<Record<LbfgsStatus, number>> = {};
  let best: LbfgsResult | undefined;
  let bestStart = -1;
  const every = Math.max(1, Math.floor(starts.length / 100));
  starts.forEach((start, index) => {
    const result = minimizeLbfgs(f, start, options);
    values[index] = Number.isFinite(result.value) ? result.value : Number.POSITIVE_INFINITY;
    endpoints.push(result.x);
    statusCounts[result.status] = (statusCounts[result.status] ?? 0) + 1;
    if (Number.isFinite(result.value) && (best === undefined || result.value < best.value)) {
      best = result;
      bestStart = index;
    }
    if (options.onProgress && ((index + 1) % every === 0 || index + 1 === starts.length)) {
      options.onProgress({ done: index + 1, total: starts.length, label: options.label ?? 'multi-start' });
    }
  });
  if (best === undefined) {
    // Every start diverged: report the first so callers can name the failure.
    best = minimizeLbfgs(f, starts[0]!, options);
    bestStart = 0;
  }
  const tolerance = options.bestTolerance ?? 1e-6;
  const threshold = best.value + tolerance * Math.abs(best.value);
  let startsAtBest = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= threshold) startsAtBest++;
  return { best, bestStart, starts: starts.length, startsAtBest, statusCounts, values, endpoints };
}
