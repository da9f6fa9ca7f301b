import { scalingError } from '../errors.js';

/**
 * projektor's stage-2 "parameter-free" extrapolation in data size: the straight line in log n through two
 * pilot measurements, perf(n) = [ln(n/n0)·perf(n1) − ln(n/n1)·perf(n0)]/ln(n1/n0).
 */
export function projektorExtrapolate(
  n0: number,
  perf0: number,
  n1: number,
  perf1: number,
  n: number,
): number {
  if (!(n0 > 0 && n1 > 0 && n > 0) || n0 === n1) {
    throw scalingError(
      'E_INPUT',
      `pilot sizes must be positive and distinct and n > 0 (got n0=${n0}, n1=${n1}, n=${n})`,
    );
  }
  return (Math.log(n / n0) * perf1 - Math.log(n / n1) * perf0) / Math.log(n1 / n0);
}

/** Euclidean projection onto the probability simplex (Duchi et al. 2008). */
export function projectToSimplex(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  if (n === 0) throw scalingError('E_INPUT', 'cannot project an empty vector onto the simplex');
  const u = Float64Array.from(v).sort().reverse();
  let cumulative = 0;
  let theta = 0;
  for (let j = 0; j < n; j++) {
    cumulative += u[j]!;
    const t = (cumulative - 1) / (j + 1);
    if (u[j]! - t > 0) theta = t;
  }
  return Float64Array.from(v, (x) => Math.max(0, x - theta));
}
