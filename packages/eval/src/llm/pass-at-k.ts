import { passAtKInputProblem, passAtKUnchecked } from '@modelsmith/core-tensor';
import { evalError } from '../errors.js';

function checkCounts(n: number, c: number, k: number, where = ''): void {
  const problem = passAtKInputProblem(n, c, k);
  if (problem !== undefined) throw evalError('E_INPUT', `${where}${problem}`);
}

/** Unbiased pass@k for one task without validation (hot loop): core-tensor's estimator, re-exported. */
export { passAtKUnchecked } from '@modelsmith/core-tensor';

/**
 * Unbiased pass@k estimator for n samples with c correct (core-tensor's `passAtK`, with this package's
 * error prefix). Rejects k > n (the reference returns 1 there).
 */
export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  return passAtKUnchecked(n, c, k);
}

export interface TaskCounts {
  readonly task?: string;
  readonly n: number;
  readonly c: number;
}

export interface PassAtKDatasetResult {
  /** Mean pass@k over tasks, keyed by k. */
  readonly passAtK: Record<string, number>;
  readonly tasks: number;
}

/** Dataset pass@k: the mean over tasks of the per-task estimator, for each k. */
export function passAtKDataset(tasks: readonly TaskCounts[], ks: readonly number[]): PassAtKDatasetResult {
  if (tasks.length === 0) throw evalError('E_INPUT', 'no tasks given; pass at least one {n, c}');
  if (ks.length === 0) throw evalError('E_INPUT', 'no k values given; pass at least one k (e.g. [1, 10])');
  let minN = Number.POSITIVE_INFINITY;
  let minTask = 0;
  tasks.forEach((t, i) => {
    const name = t.task === undefined ? `task ${i}` : `task '${t.task}'`;
    checkCounts(t.n, t.c, 1, `${name}: `);
    if (t.n < minN) {
      minN = t.n;
      minTask = i;
    }
  });
  const passAt: Record<string, number> = {};
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) throw evalError('E_INPUT', `k must be a positive integer, got ${k}`);
    if (k > minN) {
      const t = tasks[minTask]!;
      throw evalError(
        'E_INPUT',
        `k=${k} exceeds n=${minN} of ${t.task === undefined ? `task ${minTask}` : `task '${t.task}'`}; every task needs at least k samples`,
      );
    }
    let sum = 0;
    for (const t of tasks) sum += passAtKUnchecked(t.n, t.c, k);
    passAt[String(k)] = sum / tasks.length;
  }
  return { passAtK: passAt, tasks: tasks.length };
}

/** Groups one-record-per-sample data `{task, passed}` into per-task counts (first-seen task order). */
export function countSamples(samples: readonly { task: string; passed: boolean }[]): TaskCounts[] {
  const byTask = new Map<string, { n: number; c: number }>();
  for (const s of samples) {
    let entry = byTask.get(s.task);
    if (!entry) {
      entry = { n: 0, c: 0 };
      byTask.set(s.task, entry);
    }
    entry.n++;
    if (s.passed) entry.c++;
  }
  return [...byTask].map(([task, { n, c }]) => ({ task, n, c }));
}
