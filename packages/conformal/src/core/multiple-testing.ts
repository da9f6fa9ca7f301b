import { benjaminiHochbergAdjusted } from '@modelsmith/core-tensor';
import { conformalError } from '../errors.js';
import { checkAlpha, finiteArray, type NumericArray } from './validate.js';

/**
 * Benjamini–Hochberg at level q: returns the rejected indices in increasing order
 * (k̂ = max{k : p_(k) ≤ qk/m}, reject every p ≤ q·k̂/m).
 */
export function benjaminiHochberg(pValues: NumericArray, q: number): number[] {
  checkAlpha(q, 'q');
  const p = finiteArray(pValues, 'pValues');
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 0 || p[i]! > 1)
      throw conformalError('E_INPUT', `pValues[${i}] is ${p[i]}; p-values lie in [0, 1]`);
  }
  return bhUnchecked(p, q);
}

/**
 * BH-adjusted p-values from core-tensor; rejecting adjusted ≤ q is the step-up rule k̂ = max{k : p_(k) ≤ qk/m}.
 * Computed p-values may exceed 1 by rounding here; capping them at 1 changes no rejection (q < 1).
 */
function adjustedForRejection(p: Float64Array): Float64Array {
  const capped = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) capped[i] = Math.min(1, p[i]!);
  return benjaminiHochbergAdjusted(capped);
}

/** Internal BH on validated p-values: rejected indices in increasing order. */
export function bhUnchecked(p: Float64Array, q: number): number[] {
  const adjusted = adjustedForRejection(p);
  const out: number[] = [];
  // Relative slack 1e-12 so a p-value exactly on the line qk/m is rejected despite rounding.
  for (let i = 0; i < adjusted.length; i++) if (adjusted[i]! <= q * (1 + 1e-12)) out.push(i);
  return out;
}

/**
 * Internal: number of BH rejections only, k̂ = max{k : p_(k) ≤ qk/m} (ties cannot make the count exceed k̂).
 * Kept as a count-only step-up because the selection procedures call it O(m²) times and the adjusted-p
 * route is ~3× slower there; test/core-p-values.test.ts checks it equals #{bhUnchecked}.
 */
export function bhCount(p: Float64Array, q: number): number {
  const m = p.length;
  const sorted = Float64Array.from(p).sort();
  for (let k = m; k >= 1; k--) if (sorted[k - 1]! * m <= q * k * (1 + 1e-12)) return k;
  return 0;
}

/**
 * e-BH (Wang & Ramdas 2022) at level q: k̂ = max{k : e_(k) ≥ m/(qk)} over e sorted descending; rejects
 * the k̂ largest e-values. Controls FDR under arbitrary dependence. Returns indices in increasing order.
 */
export function eBenjaminiHochberg(eValues: NumericArray, q: number): number[] {
  checkAlpha(q, 'q');
  const e = finiteArray(eValues, 'eValues');
  for (let i = 0; i < e.length; i++) {
    if (e[i]! < 0) throw conformalError('E_INPUT', `eValues[${i}] is ${e[i]}; e-values are non-negative`);
  }
  return ebhUnchecked(e, q);
}

export function ebhUnchecked(e: Float64Array, q: number): number[] {
  const m = e.length;
  if (m === 0) return [];
  const order = Array.from(e.keys()).sort((a, b) => e[b]! - e[a]! || a - b);
  let kHat = 0;
  for (let k = m; k >= 1; k--) {
    // e_(k) ≥ m/(qk) ⇔ e·q·k ≥ m
    if (e[order[k - 1]!]! * q * k >= m * (1 - 1e-12)) {
      kHat = k;
      break;
    }
  }
  return order.slice(0, kHat).sort((a, b) => a - b);
}
