import { normalCdf } from '@modelsmith/core-tensor';
import { evalError } from '../errors.js';
import { probability } from '../validate.js';

/**
 * mlxtend `proportion_difference`: z = (p1−p2)/√(p1(1−p1)/n1 + p2(1−p2)/n2) and the ONE-SIDED lower-tail
 * p = Φ(z) (not two-sided, as in mlxtend).
 */
export function proportionDifference(
  p1: number,
  p2: number,
  n1: number,
  n2 = n1,
): { z: number; pValue: number } {
  probability('p1', p1);
  probability('p2', p2);
  for (const [name, v] of [
    ['n1', n1],
    ['n2', n2],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw evalError('E_INPUT', `${name} must be a positive integer, got ${v}`);
  }
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const diff = p1 - p2;
  const z = diff === 0 ? 0 : diff / se;
  return { z, pValue: normalCdf(z) };
}
