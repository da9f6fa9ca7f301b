import { finiteArray, type NumericArray } from '../core/validate.js';
import { conformalError } from '../errors.js';

/** Validates the knots (ascending, finite) and CDF levels (non-decreasing, in [0, 1]) of a CDF. */
export function cdfShape(
  points: NumericArray,
  levels: NumericArray,
  expectedLevels: number,
  names: { points: string; levels: string },
): { x: Float64Array; p: Float64Array } {
  const x = finiteArray(points, names.points);
  const p = finiteArray(levels, names.levels);
  if (x.length === 0) throw conformalError('E_INPUT', `${names.points} is empty; pass at least one point`);
  if (p.length !== expectedLevels) {
    throw conformalError(
      'E_SHAPE_MISMATCH',
      `${names.levels} has length ${p.length}; expected ${expectedLevels} for ${x.length} ${names.points}`,
    );
  }
  for (let i = 1; i < x.length; i++) {
    if (x[i]! < x[i - 1]!) {
      throw conformalError(
        'E_INPUT',
        `${names.points}[${i}] = ${x[i]} is below ${names.points}[${i - 1}] = ${x[i - 1]}; sort the points ascending`,
      );
    }
  }
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (v < 0 || v > 1 || (i > 0 && v < p[i - 1]!)) {
      throw conformalError(
        'E_INPUT',
        `${names.levels}[${i}] = ${v}; CDF levels must lie in [0, 1] and be non-decreasing`,
      );
    }
  }
  return { x, p };
}
