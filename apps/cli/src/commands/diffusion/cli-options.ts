import { numberListOption, UsageError } from '../../command.js';

/** `value` if it is one of `allowed`, else a usage error naming the flag and the choices. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}

/** A required comma-separated list of positive integers (shapes, NFE budgets). */
export function positiveIntegerList(value: string, flag: string): number[] {
  const list = numberListOption(value, flag)!;
  if (list.some((v) => !Number.isInteger(v) || v < 1))
    throw new UsageError(`${flag} must be positive integers`);
  return list;
}
