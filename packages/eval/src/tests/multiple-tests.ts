import { benjaminiHochbergAdjusted, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { evalError, PACKAGE } from '../errors.js';

export const MULTIPLE_TEST_METHODS = [
  'bonferroni',
  'sidak',
  'holm',
  'holm-sidak',
  'hochberg',
  'hommel',
  'fdr_bh',
  'fdr_by',
] as const;
export type MultipleTestMethod = (typeof MULTIPLE_TEST_METHODS)[number];

export const multipleTestsOptionsSchema = z
  .object({
    /** statsmodels names; 'simes-hochberg' is accepted as an alias of 'hochberg'. */
    method: z
      .enum([...MULTIPLE_TEST_METHODS, 'simes-hochberg'])
      .transform((m): MultipleTestMethod => (m === 'simes-hochberg' ? 'hochberg' : m))
      .default('holm'),
    alpha: z.number().gt(0).lt(1).default(0.05),
  })
  .strict();
export type MultipleTestsOptions = z.input<typeof multipleTestsOptionsSchema>;

export interface MultipleTestsResult {
  readonly method: MultipleTestMethod;
  readonly adjusted: number[];
  readonly reject: boolean[];
}

/** 1 − (1 − p)^m without cancellation for small p. */
function sidakAdjust(p: number, m: number): number {
  return -Math.expm1(m * Math.log1p(-p));
}

/** Adjusted p-values in sorted (ascending) order. */
function adjustSorted(p: Float64Array, method: MultipleTestMethod): Float64Array {
  const m = p.length;
  const a = new Float64Array(m);
  switch (method) {
    case 'bonferroni':
      for (let i = 0; i < m; i++) a[i] = p[i]! * m;
      break;
    case 'sidak':
      for (let i = 0; i < m; i++) a[i] = sidakAdjust(p[i]!, m);
      break;
    case 'holm':
    case 'holm-sidak': {
      // Step-down: running maximum of (m − i)·p_(i) or the Šidák analogue.
      let running = 0;
      for (let i = 0; i < m; i++) {
        const v = method === 'holm' ? (m - i) * p[i]! : sidakAdjust(p[i]!, m - i);
        running = Math.max(running, v);
        a[i] = running;
      }
      break;
    }
    case 'hochberg': {
      // Step-up: running minimum from the largest p downwards.
      let running = Number.POSITIVE_INFINITY;
      for (let i = m - 1; i >= 0; i--) {
        running = Math.min(running, (m - i) * p[i]!);
        a[i] = running;
      }
      break;
    }
    case 'fdr_bh':
    case 'fdr_by':
      // Shared with conformal's selection procedures; p is sorted, so input order = sorted order.
      a.set(benjaminiHochbergAdjusted(p, { dependence: method === 'fdr_by' ? 'arbitrary' : 'independent' }));
      break;
    case 'hommel': {
      // statsmodels' algorithm (Wright 1992 form).
      a.set(p);
      for (let k = m; k > 1; k--) {
        let cim = Number.POSITIVE_INFINITY;
        for (let j = 0; j < k; j++) cim = Math.min(cim, (k * p[m - k + j]!) / (j + 1));
        for (let i = m - k; i < m; i++) a[i] = Math.max(a[i]!, cim);
        for (let i = 0; i < m - k; i++) a[i] = Math.max(a[i]!, Math.min(k * p[i]!, cim));
      }
      break;
    }
  }
  for (let i = 0; i < m; i++) a[i] = Math.min(1, a[i]!);
  return a;
}

/**
 * statsmodels `multipletests`: adjusted p-values (original order) and the reject mask at `alpha`
 * (reject ⇔ adjusted ≤ alpha, which equals each method's step-up/step-down rule).
 */
export function multipleTests(
  pValues: ArrayLike<number>,
  options: MultipleTestsOptions = {},
): MultipleTestsResult {
  const { method, alpha } = parseOptions(
    PACKAGE,
    'multipleTests options',
    multipleTestsOptionsSchema,
    options,
  );
  const m = pValues.length;
  if (m === 0) throw evalError('E_INPUT', 'pValues is empty; pass at least one p-value');
  for (let i = 0; i < m; i++) {
    const v = pValues[i]!;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw evalError('E_INPUT', `pValues[${i}] must be a p-value in [0, 1], got ${String(v)}`);
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!);
  const sorted = Float64Array.from(order, (i) => pValues[i]!);
  const adjustedSorted = adjustSorted(sorted, method);
  const adjusted = new Array<number>(m);
  order.forEach((original, rank) => {
    adjusted[original] = adjustedSorted[rank]!;
  });
  return { method, adjusted, reject: adjusted.map((v) => v <= alpha) };
}
