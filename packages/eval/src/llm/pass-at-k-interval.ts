import { type BootstrapOptions, type BootstrapResult, bootstrap } from '../resampling/bootstrap.js';
import { passAtKDataset, type TaskCounts } from './pass-at-k.js';

/** Dataset pass@k with a seeded bootstrap interval over tasks (problems are the resampling unit). */
export function passAtKInterval(
  tasks: readonly TaskCounts[],
  k: number,
  options: BootstrapOptions = {},
): BootstrapResult {
  passAtKDataset(tasks, [k]); // validates counts and k ≤ n once
  return bootstrap(tasks, (sample) => passAtKDataset(sample, [k]).passAtK[String(k)]!, {
    method: 'percentile',
    ...options,
  });
}
