import { checkSameLength, finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

export interface IntervalMetrics {
  /** Fraction of y with lower ≤ y ≤ upper. */
  readonly coverage: number;
  /** Mean of upper − lower (+∞ if any interval is infinite). */
  readonly meanWidth: number;
}

/** Empirical coverage and mean width of intervals. */
export function intervalMetrics(y: NumericArray, lower: NumericArray, upper: NumericArray): IntervalMetrics {
  const n = checkSameLength({ y, lower, upper });
  const yy = finiteArray(y, 'y');
  let covered = 0;
  let width = 0;
  for (let i = 0; i < n; i++) {
    const lo = lower[i]!;
    const hi = upper[i]!;
    if (Number.isNaN(lo) || Number.isNaN(hi))
      throw conformalError(
        'E_INPUT',
        `interval ${i} has a NaN bound; use finite bounds or ±Infinity for an unbounded side`,
      );
    if (lo <= yy[i]! && yy[i]! <= hi) covered++;
    width += hi - lo;
  }
  return { coverage: n === 0 ? Number.NaN : covered / n, meanWidth: n === 0 ? Number.NaN : width / n };
}

export interface SetMetrics {
  readonly coverage: number;
  readonly meanSetSize: number;
  readonly singletonRate: number;
  readonly emptyRate: number;
  /** Size-stratified coverage: coverage among sets of each size that occurs. */
  readonly sizeStratified: { size: number; count: number; coverage: number }[];
}

/** Coverage, mean set size, singleton/empty rates and size-stratified coverage of prediction sets. */
export function setMetrics(sets: readonly (readonly number[])[], labels: NumericArray): SetMetrics {
  const n = checkSameLength({ sets, labels });
  let covered = 0;
  let size = 0;
  let singletons = 0;
  let empty = 0;
  const bySize = new Map<number, { count: number; covered: number }>();
  for (let i = 0; i < n; i++) {
    const set = sets[i]!;
    const hit = set.includes(labels[i]!);
    if (hit) covered++;
    size += set.length;
    if (set.length === 1) singletons++;
    if (set.length === 0) empty++;
    const entry = bySize.get(set.length) ?? { count: 0, covered: 0 };
    entry.count++;
    if (hit) entry.covered++;
    bySize.set(set.length, entry);
  }
  const sizeStratified = [...bySize.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, e]) => ({ size: s, count: e.count, coverage: e.covered / e.count }));
  const d = n === 0 ? Number.NaN : n;
  return {
    coverage: covered / d,
    meanSetSize: size / d,
    singletonRate: singletons / d,
    emptyRate: empty / d,
    sizeStratified,
  };
}

/** Coverage per group (per class, per Mondrian category): Map group → {count, coverage}. */
export function groupCoverage(
  covered: readonly boolean[],
  groups: readonly (string | number)[],
): Map<string | number, { count: number; coverage: number }> {
  checkSameLength({ covered, groups });
  const acc = new Map<string | number, { count: number; hits: number }>();
  covered.forEach((hit, i) => {
    const g = groups[i]!;
    const e = acc.get(g) ?? { count: 0, hits: 0 };
    e.count++;
    if (hit) e.hits++;
    acc.set(g, e);
  });
  return new Map([...acc].map(([g, e]) => [g, { count: e.count, coverage: e.hits / e.count }]));
}
