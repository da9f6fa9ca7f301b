import { evalError } from './errors.js';

/** Copies `values` into a Float64Array, rejecting non-finite entries and short inputs (E_INPUT). */
export function finiteArray(name: string, values: ArrayLike<number>, minLength = 1): Float64Array {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw evalError('E_INPUT', `${name} must be an array of numbers`);
  }
  if (values.length < minLength) {
    throw evalError('E_INPUT', `${name} needs at least ${minLength} value(s), got ${values.length}`);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw evalError('E_INPUT', `${name}[${i}] must be a finite number, got ${String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** Throws E_SHAPE_MISMATCH unless both arrays have the same length. */
export function sameLength(nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw evalError(
      'E_SHAPE_MISMATCH',
      `${nameA} has ${a.length} entries but ${nameB} has ${b.length}; pass one value per item in both`,
    );
  }
}

/** Checks a probability-like scalar in [0, 1]. */
export function probability(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw evalError('E_INPUT', `${name} must be a number in [0, 1], got ${String(value)}`);
  }
  return value;
}
