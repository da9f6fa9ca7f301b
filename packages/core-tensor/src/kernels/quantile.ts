import { type FloatArray, kernelError } from './float-array.js';
import { minOfRange, selectInPlace } from './select-in-place.js';

/** numpy's names for the discontinuous and linear quantile rules (`np.quantile(..., method=)`). */
export const QUANTILE_METHODS = ['linear', 'lower', 'higher', 'nearest', 'midpoint'] as const;
export type QuantileMethod = (typeof QUANTILE_METHODS)[number];

/** numpy's `_lerp`: exact at both ends and monotone in t. */
function numpyLerp(a: number, b: number, t: number): number {
  const diff = b - a;
  // Towards ±Infinity the result is that infinity (numpy's second form would give NaN).
  if (!Number.isFinite(diff)) return a + diff * t;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Round half to even, as `np.around` does. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The `q`-quantile of `values` with numpy's semantics (`np.quantile(values, q, method=...)`),
 * in expected O(n) by selection on a copy. With `h = (n − 1)·q`:
 * `linear` (default) interpolates between sorted[⌊h⌋] and sorted[⌊h⌋+1]; `lower` is sorted[⌊h⌋];
 * `higher` is sorted[⌈h⌉]; `nearest` is sorted[round-half-even(h)]; `midpoint` is the mean of
 * sorted[⌊h⌋] and sorted[⌈h⌉]. Like numpy, any NaN in `values` makes the result NaN. With
 * infinities numpy's lerp can return NaN; here an exact index returns its order statistic and
 * interpolation towards ±Infinity returns that infinity.
 */
export function quantile(values: FloatArray, q: number, method: QuantileMethod = 'linear'): number {
  const n = values.length;
  if (n === 0) throw kernelError('E_INPUT', 'quantile: values is empty; pass at least one value');
  if (!(q >= 0 && q <= 1)) throw kernelError('E_INPUT', `quantile: q must be in [0, 1], got ${q}`);
  if (!QUANTILE_METHODS.includes(method)) {
    throw kernelError(
      'E_INPUT',
      `quantile: unknown method '${method}'; use one of ${QUANTILE_METHODS.join(', ')}`,
    );
  }
  const copy = values instanceof Float32Array ? new Float32Array(values) : new Float64Array(values);
  for (let i = 0; i < n; i++) if (Number.isNaN(copy[i]!)) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const index =
    method === 'lower'
      ? lo
      : method === 'higher'
        ? Math.ceil(h)
        : method === 'nearest'
          ? roundHalfEven(h)
          : lo;
  selectInPlace(copy, index, 0, n - 1);
  const atIndex = copy[index]!;
  if (method === 'lower' || method === 'higher' || method === 'nearest') return atIndex;
  // After selecting `lo`, sorted[lo + 1] is the minimum of the right part.
  const next = hi === lo ? atIndex : minOfRange(copy, lo + 1, n);
  if (method === 'midpoint') return h === lo ? atIndex : (atIndex + next) / 2;
  // An exact index returns the order statistic itself (numpy's lerp would give NaN next to ±Infinity).
  if (h === lo || atIndex === next) return atIndex;
  return numpyLerp(atIndex, next, h - lo);
}
