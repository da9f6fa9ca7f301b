import { averageRanks, normalCdf, normalSf, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { tieGroups } from '../stats-utils.js';
import { finiteArray, sameLength } from '../validate.js';
import { alternativeSchema } from './t-test.js';

export const wilcoxonOptionsSchema = z
  .object({
    alternative: alternativeSchema,
    /** 'wilcox' drops zero differences (scipy default), 'pratt' ranks them then drops their ranks, 'zsplit' splits them. */
    zeroMethod: z.enum(['wilcox', 'pratt', 'zsplit']).default('wilcox'),
    /**
     * scipy 1.17 'auto': n ≤ 50 without zeros/ties → 'exact'; with zeros or ties and n ≤ 13 → 'permutation'
     * (all 2ⁿ sign flips of the ranked differences); otherwise the normal approximation. 'exact' with zeros or
     * ties is refused (its null distribution assumes distinct integer ranks). n counts zeros, as scipy.
     */
    method: z.enum(['auto', 'exact', 'approx', 'permutation']).default('auto'),
    /** Continuity correction in the normal approximation. */
    correction: z.boolean().default(false),
  })
  .strict();
export type WilcoxonOptions = z.input<typeof wilcoxonOptionsSchema>;

export interface WilcoxonResult {
  /** Two-sided: min(R+, R−); one-sided: R+. */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'approx' | 'permutation';
  /** z statistic of the normal approximation (undefined for exact). */
  readonly z?: number;
  readonly n: number;
}

/** Null distribution of R+: probabilities P(R+ = k), k = 0..n(n+1)/2 (subset-sum DP). */
function signedRankPmf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  let top = 0;
  for (let r = 1; r <= n; r++) {
    top += r;
    for (let k = top; k >= r; k--) counts[k] = counts[k]! + counts[k - r]!;
    // Halve each step so counts stay probabilities (2ⁿ would overflow exactness for large n).
    for (let k = 0; k <= top; k++) counts[k] = counts[k]! / 2;
  }
  return counts;
}

/**
 * Wilcoxon signed-rank test on paired samples (`y` given) or on differences `x` (scipy `wilcoxon`).
 */
export function wilcoxon(
  x: ArrayLike<number>,
  y?: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const o = parseOptions(PACKAGE, 'wilcoxon options', wilcoxonOptionsSchema, options);
  let d = finiteArray('x', x, 1);
  if (y !== undefined) {
    sameLength('x', x, 'y', y);
    const ys = finiteArray('y', y, 1);
    d = d.map((v, i) => v - ys[i]!);
  }
  const zeros = d.filter((v) => v === 0).length;
  if (o.zeroMethod === 'wilcox') d = d.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0 || (o.zeroMethod === 'pratt' && zeros === n)) {
    throw evalError('E_INPUT', 'all differences are zero; the Wilcoxon test is undefined');
  }
  const ranks = averageRanks(d.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  let zeroRankSum = 0;
  for (let i = 0; i < n; i++) {
    if (d[i]! > 0) rPlus += ranks[i]!;
    else if (d[i]! < 0) rMinus += ranks[i]!;
    else zeroRankSum += ranks[i]!;
  }
  if (o.zeroMethod === 'zsplit') {
    rPlus += zeroRankSum / 2;
    rMinus += zeroRankSum / 2;
  }
  const statistic = o.alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  const ties = tieGroups(d.map(Math.abs)).length > 0;
  const hasZeros = zeros > 0;
  let method = o.method;
  const fullLength = n + (o.zeroMethod === 'wilcox' ? zeros : 0);
  if (method === 'auto') {
    if (fullLength > 50) method = 'approx';
    else if (!ties && !hasZeros) method = 'exact';
    else method = fullLength <= 13 ? 'permutation' : 'approx';
  }
  if (method === 'permutation') {
    // Exact sign-flip distribution of R+ given the (tied) ranks; zeros are unaffected by flips.
    const flippable: number[] = [];
    let fixed = 0;
    for (let i = 0; i < n; i++) {
      if (d[i]! !== 0) flippable.push(ranks[i]!);
      else if (o.zeroMethod === 'zsplit') fixed += ranks[i]! / 2;
    }
    const m = flippable.length;
    if (m > 24)
      throw evalError(
        'E_INPUT',
        `the permutation method enumerates 2^${m} sign flips; use method 'approx' for n > 24`,
      );
    const total = 2 ** m;
    const tolerance = Math.abs(rPlus) * 100 * Number.EPSILON;
    let le = 0;
    let ge = 0;
    for (let mask = 0; mask < total; mask++) {
      let t = fixed;
      for (let k = 0; k < m; k++) if (Math.floor(mask / 2 ** k) % 2 === 1) t += flippable[k]!;
      if (t <= rPlus + tolerance) le++;
      if (t >= rPlus - tolerance) ge++;
    }
    const pLess = le / total;
    const pGreater = ge / total;
    const pValue =
      o.alternative === 'two-sided'
        ? Math.min(1, 2 * Math.min(pLess, pGreater))
        : o.alternative === 'greater'
          ? pGreater
          : pLess;
    return { statistic, pValue, method: 'permutation', n };
  }
  if (method === 'exact') {
    if (ties || hasZeros) {
      throw evalError(
        'E_INPUT',
        "exact Wilcoxon p-values need differences without zeros or ties; use method 'approx'",
      );
    }
    const pmf = signedRankPmf(n);
    const r = Math.round(rPlus);
    let cdf = 0;
    for (let k = 0; k <= r; k++) cdf += pmf[k]!;
    let sf = 0;
    for (let k = r; k < pmf.length; k++) sf += pmf[k]!;
    const pValue =
      o.alternative === 'two-sided'
        ? Math.min(1, 2 * Math.min(cdf, sf))
        : o.alternative === 'greater'
          ? sf
          : cdf;
    return { statistic, pValue, method: 'exact', n };
  }
  let mn = (n * (n + 1)) / 4;
  let se = (n * (n + 1) * (2 * n + 1)) / 24;
  if (o.zeroMethod === 'pratt') {
    mn -= (zeros * (zeros + 1)) / 4;
    se -= (zeros * (zeros + 1) * (2 * zeros + 1)) / 24;
  }
  // Tie correction over the ranked absolute differences (Pratt: the zero group is left out, as scipy).
  const tieSource = o.zeroMethod === 'pratt' ? d.filter((v) => v !== 0) : d;
  for (const t of tieGroups(tieSource.map(Math.abs))) se -= (t * t * t - t) / 48;
  se = Math.sqrt(se);
  let cc = 0;
  if (o.correction)
    cc = o.alternative === 'two-sided' ? 0.5 * Math.sign(rPlus - mn) : o.alternative === 'less' ? -0.5 : 0.5;
  const z = (rPlus - mn - cc) / se;
  const pValue =
    o.alternative === 'two-sided'
      ? Math.min(1, 2 * normalSf(Math.abs(z)))
      : o.alternative === 'greater'
        ? normalSf(z)
        : normalCdf(z);
  return { statistic, pValue, method: 'approx', z, n };
}
