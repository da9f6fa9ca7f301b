import { ModelsmithError } from '@modelsmith/core-tensor';
import { UsageError } from '../../command.js';
import { type CsvTable, hasColumn } from '../../io/csv.js';

export function inputError(message: string): ModelsmithError {
  return new ModelsmithError({ packageName: 'cli', code: 'E_INPUT', message });
}

/** One of `allowed`, naming the flag otherwise. */
export function choiceOption<const T extends string>(
  value: string | undefined,
  flag: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** A non-negative integer option (seed, rounds, bins). */
export function integerOption(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < min) {
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got '${value}'`);
  }
  return parsed;
}

/** The explicit column, else the first present candidate, else the only column. */
export function pickColumn(
  table: CsvTable,
  explicit: string | undefined,
  candidates: readonly string[],
  flag: string,
): string {
  if (explicit !== undefined) return explicit;
  const found = candidates.find((name) => hasColumn(table, name));
  if (found) return found;
  if (table.header.length === 1) return table.header[0]!;
  throw inputError(
    `${table.path}: no column named ${candidates.map((c) => `'${c}'`).join(' or ')} (columns: ${table.header.join(', ')}); pass ${flag}`,
  );
}

/** Short human formatting of a statistic or p-value. */
export function fmt(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-4 && abs < 1e6 ? String(Number(value.toPrecision(6))) : value.toExponential(4);
}
