import { ModelsmithError } from '@modelsmith/core-tensor';
import { UsageError } from '../../command.js';
import { type CsvTable, hasColumn, numberColumn, readCsv } from '../../io/csv.js';

/** Reads a CSV given by a required flag, resolved against the working directory. */
export async function readTableFlag(value: string | undefined, flag: string, cwd: string): Promise<CsvTable> {
  if (value === undefined) throw new UsageError(`missing ${flag} <file.csv>`);
  const { resolve } = await import('node:path');
  return readCsv(resolve(cwd, value));
}

/** A required numeric column, with a message naming the command's expected columns. */
export function requireColumn(table: CsvTable, name: string, why: string): Float64Array {
  if (!hasColumn(table, name)) {
    throw new ModelsmithError({
      packageName: 'cli',
      code: 'E_INPUT',
      message: `${table.path}: no column '${name}' (${why}; columns: ${table.header.join(', ')})`,
    });
  }
  return numberColumn(table, name);
}

/** A level flag that must lie strictly between 0 and 1. */
export function levelOption(value: string | undefined, flag: string): number {
  if (value === undefined) throw new UsageError(`missing ${flag} <level in (0,1)>`);
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed >= 1) {
    throw new UsageError(`${flag} must be a number strictly between 0 and 1, got '${value}'`);
  }
  return parsed;
}

/** JSON has no infinity: ±∞ bounds are written as null. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Formats a number for the text report. */
export function fmt(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}
