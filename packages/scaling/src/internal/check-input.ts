import { scalingError } from '../errors.js';

/** Throws a named E_INPUT error unless every value is finite (and > 0 when `positive`). */
export function checkValues(name: string, values: ArrayLike<number>, positive: boolean): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v))
      throw scalingError('E_INPUT', `${name}[${i}] is NaN; remove the point or fix the value`);
    if (!Number.isFinite(v) || (positive && v <= 0)) {
      throw scalingError('E_INPUT', `${name}[${i}] = ${v} must be finite${positive ? ' and > 0' : ''}`);
    }
  }
}

export function checkSameLength(names: readonly string[], arrays: readonly ArrayLike<number>[]): void {
  const n = arrays[0]!.length;
  arrays.forEach((a, k) => {
    if (a.length !== n) {
      throw scalingError(
        'E_INPUT',
        `${names[k]} has ${a.length} values but ${names[0]} has ${n}; give one per point`,
      );
    }
  });
}

export function checkEnoughPoints(count: number, parameters: number, law: string): void {
  if (count < parameters) {
    throw scalingError(
      'E_INPUT',
      `${law}: ${count} points for ${parameters} parameters; give at least ${parameters} points (more for a stable fit)`,
    );
  }
}
