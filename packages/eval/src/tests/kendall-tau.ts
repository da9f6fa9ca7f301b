import { normalSf, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';
import { tieGroups } from '../stats-utils.js';
import { finiteArray, sameLength } from '../validate.js';

export const kendallTauOptionsSchema = z
  .object({
    /** scipy 'auto': exact when there are no ties and (n ≤ 33 or min(discordant, concordant) ≤ 1), else asymptotic (tie-corrected variance). */
    method: z.enum(['auto', 'exact', 'asymptotic']).default('auto'),
  })
  .strict();
export type KendallTauOptions = z.input<typeof kendallTauOptionsSchema>;

export interface KendallTauResult {
  /** τ-b (equals τ-a without ties). */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymptotic';
}

/** Two-sided exact p for c = min(discordant, concordant) with no ties (Mahonian numbers, as probabilities). */
function exactP(n: number, c: number): number {
  // dist[k] = P(k inversions) for permutations of size i, built up one element at a time.
  let dist = new Float64Array([1]);
  for (let i = 2; i <= n; i++) {
    const next = new Float64Array(dist.length + i - 1);
    let window = 0;
    for (let k = 0; k < next.length; k++) {
      if (k < dist.length) window += dist[k]!;
      if (k - i >= 0 && k - i < dist.length) window -= dist[k - i]!;
      next[k] = window / i;
    }
    dist = next;
  }
  let p = 0;
  for (let k = 0; k <= c; k++) p += dist[k]!;
  return Math.min(1, 2 * p);
}

/** Kendall's τ-b with scipy `kendalltau` p-values (two-sided). */
export function kendallTau(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: KendallTauOptions = {},
): KendallTauResult {
  const { method: requested } = parseOptions(PACKAGE, 'kendallTau options', kendallTauOptionsSchema, options);
  sameLength('x', x, 'y', y);
  const xs = finiteArray('x', x, 2);
  const ys = finiteArray('y', y, 2);
  const n = xs.length;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(xs[j]! - xs[i]!) * Math.sign(ys[j]! - ys[i]!);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      if (xs[j] === xs[i]) tiedX++;
      if (ys[j] === ys[i]) tiedY++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiedX) * (n0 - tiedY));
  if (!(denominator > 0)) throw evalError('E_INPUT', "x or y is constant; Kendall's tau is undefined");
  const statistic = (concordant - discordant) / denominator;
  const ties = tiedX > 0 || tiedY > 0;
  let method = requested;
  if (method === 'auto')
    method = !ties && (n <= 33 || Math.min(discordant, n0 - discordant) <= 1) ? 'exact' : 'asymptotic';
  if (method === 'exact') {
    if (ties)
      throw evalError('E_INPUT', "exact Kendall p-values need data without ties; use method 'asymptotic'");
    return { statistic, pValue: exactP(n, Math.min(discordant, n0 - discordant)), method: 'exact' };
  }
  // scipy's tie-corrected variance of C − D.
  const tx = tieGroups(xs);
  const ty = tieGroups(ys);
  const sum = (g: number[], f: (t: number) => number) => g.reduce((s, t) => s + f(t), 0);
  const x0 = sum(tx, (t) => t * (t - 1) * (t - 2));
  const y0 = sum(ty, (t) => t * (t - 1) * (t - 2));
  const x1 = sum(tx, (t) => t * (t - 1) * (2 * t + 5));
  const y1 = sum(ty, (t) => t * (t - 1) * (2 * t + 5));
  const xt = sum(tx, (t) => (t * (t - 1)) / 2);
  const yt = sum(ty, (t) => (t * (t - 1)) / 2);
  const m = n * (n - 1);
  const v = (m * (2 * n + 5) - x1 - y1) / 18 + (2 * xt * yt) / m + (x0 * y0) / (9 * m * (n - 2));
  const z = (concordant - discordant) / Math.sqrt(v);
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), method: 'asymptotic' };
}
