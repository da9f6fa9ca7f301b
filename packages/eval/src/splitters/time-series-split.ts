import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { checkSplitCount, type Split } from './split.js';

export const timeSeriesSplitOptionsSchema = z
  .object({
    testSize: z.number().int().positive().optional(),
    gap: z.number().int().min(0).default(0),
    maxTrainSize: z.number().int().positive().optional(),
  })
  .strict();
export type TimeSeriesSplitOptions = z.input<typeof timeSeriesSplitOptionsSchema>;

/** sklearn `TimeSeriesSplit`: expanding train windows, test blocks of n // (k + 1) at the end. */
export function timeSeriesSplit(n: number, nSplits = 5, options: TimeSeriesSplitOptions = {}): Split[] {
  const o = parseOptions(PACKAGE, 'timeSeriesSplit options', timeSeriesSplitOptionsSchema, options);
  checkSplitCount(n, nSplits);
  const folds = nSplits + 1;
  const testSize = o.testSize ?? Math.floor(n / folds);
  if (folds > n || n - o.gap - testSize * nSplits <= 0) {
    throw evalError(
      'E_INPUT',
      `too many splits (${nSplits}) for n=${n} with testSize=${testSize} and gap=${o.gap}`,
    );
  }
  const splits: Split[] = [];
  for (let start = n - nSplits * testSize; start < n; start += testSize) {
    const trainEnd = start - o.gap;
    const trainStart =
      o.maxTrainSize !== undefined && o.maxTrainSize < trainEnd ? trainEnd - o.maxTrainSize : 0;
    splits.push({
      train: Int32Array.from({ length: trainEnd - trainStart }, (_, i) => trainStart + i),
      test: Int32Array.from({ length: testSize }, (_, i) => start + i),
    });
  }
  return splits;
}
