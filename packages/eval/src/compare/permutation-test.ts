import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { finiteArray, sameLength } from '../validate.js';

export const permutationTestOptionsSchema = z
  .object({
    /** 'two-sided' |mean(x) − mean(y)|, 'greater' mean(x) − mean(y), 'less' mean(y) − mean(x). */
    alternative: z.enum(['two-sided', 'greater', 'less']).default('two-sided'),
    method: z.enum(['exact', 'approximate']).default('exact'),
    /** Paired: permute within pairs (sign flips of the differences). */
    paired: z.boolean().default(false),
    numRounds: z.number().int().positive().default(1000),
    seed: z.number().int().default(0),
    /** Refuse exact enumeration beyond this many permutations (use method 'approximate'). */
    maxEnumerations: z.number().int().positive().default(20_000_000),
  })
  .strict();
export type PermutationTestOptions = z.input<typeof permutationTestOptionsSchema>;

export interface PermutationTestResult {
  readonly statistic: number;
  readonly pValue: number;
  /** Permutations evaluated (exact) or random rounds drawn (approximate). */
  readonly rounds: number;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

// mlxtend counts ties with np.isclose(rtol 1e-5, atol 1e-8).
function atLeast(value: number, reference: number): boolean {
  return value > reference || Math.abs(value - reference) <= 1e-8 + 1e-5 * Math.abs(reference);
}

/**
 * Permutation test of mean(x) vs mean(y) (mlxtend `permutation_test`). Exact: all C(m+n, m) splits (unpaired)
 * or all 2ⁿ within-pair swaps (paired). Approximate: p = (count + 1)/(rounds + 1) with a seeded RNG.
 */
export function permutationTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: PermutationTestOptions = {},
): PermutationTestResult {
  const o = parseOptions(PACKAGE, 'permutationTest options', permutationTestOptionsSchema, options);
  const xs = finiteArray('x', x);
  const ys = finiteArray('y', y);
  const stat = (meanDiff: number): number =>
    o.alternative === 'two-sided' ? Math.abs(meanDiff) : o.alternative === 'greater' ? meanDiff : -meanDiff;
  const rng = createRandom(o.seed, 'eval', 'permutation-test');
  let count = 0;
  let rounds = 0;
  if (o.paired) {
    sameLength('x', xs, 'y', ys);
    const n = xs.length;
    const d = xs.map((v, i) => v - ys[i]!);
    const observed = stat(d.reduce((s, v) => s + v, 0) / n);
    if (o.method === 'exact') {
      if (n > 52 || 2 ** n > o.maxEnumerations) {
        throw evalError(
          'E_INPUT',
          `exact paired test needs 2^${n} sign flips, over maxEnumerations; use method 'approximate'`,
        );
      }
      const total = 2 ** n;
      for (let mask = 0; mask < total; mask++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Math.floor(mask / 2 ** i) % 2 === 1 ? -d[i]! : d[i]!;
        if (atLeast(stat(s / n), observed)) count++;
      }
      return { statistic: observed, pValue: count / total, rounds: total };
    }
    let draw = 0;
    for (let r = 0; r < o.numRounds; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += rng.uniform(draw++) < 0.5 ? -d[i]! : d[i]!;
      if (atLeast(stat(s / n), observed)) count++;
    }
    return { statistic: observed, pValue: (count + 1) / (o.numRounds + 1), rounds: o.numRounds };
  }
  const m = xs.length;
  const n = ys.length;
  const pooled = new Float64Array(m + n);
  pooled.set(xs);
  pooled.set(ys, m);
  const total = pooled.reduce((s, v) => s + v, 0);
  const diffOf = (sumX: number): number => sumX / m - (total - sumX) / n;
  const observed = stat(diffOf(xs.reduce((s, v) => s + v, 0)));
  if (o.method === 'exact') {
    const combos = binomial(m + n, m);
    if (combos > o.maxEnumerations) {
      throw evalError(
        'E_INPUT',
        `exact test needs C(${m + n}, ${m}) = ${combos} splits, over maxEnumerations; use method 'approximate'`,
      );
    }
    const N = m + n;
    const visit = (start: number, left: number, sum: number): void => {
      if (left === 0) {
        rounds++;
        if (atLeast(stat(diffOf(sum)), observed)) count++;
        return;
      }
      for (let i = start; i <= N - left; i++) visit(i + 1, left - 1, sum + pooled[i]!);
    };
    visit(0, m, 0);
    return { statistic: observed, pValue: count / rounds, rounds };
  }
  const work = new Float64Array(pooled);
  let draw = 0;
  for (let r = 0; r < o.numRounds; r++) {
    work.set(pooled);
    // Partial Fisher–Yates: the first m slots form the random x group.
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const j = i + rng.integer(draw++, m + n - i);
      const t = work[i]!;
      work[i] = work[j]!;
      work[j] = t;
      sum += work[i]!;
    }
    if (atLeast(stat(diffOf(sum)), observed)) count++;
  }
  return { statistic: observed, pValue: (count + 1) / (o.numRounds + 1), rounds: o.numRounds };
}
