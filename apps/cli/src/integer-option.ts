import { UsageError } from './command.js';

/** A non-negative integer option (seed, rounds, bins). */
export function integerOption(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < min) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got '${value}'`);
  }
  return parsed;
}
