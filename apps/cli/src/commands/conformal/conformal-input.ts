import { UsageError } from '../../command.js';
import type { CsvTable } from '../../io/csv.js';
import { readCsvFlag } from '../../io/read-csv-flag.js';

/** The `--cal` / `--test` flags every conformal command takes. */
export const CAL_TEST_FLAGS = {
  cal: { type: 'string' },
  test: { type: 'string' },
} as const;

/** Reads the calibration and test CSVs named by `--cal` and `--test`. */
export async function readCalTest(
  values: { readonly cal?: string | undefined; readonly test?: string | undefined },
  cwd: string,
): Promise<{ cal: CsvTable; test: CsvTable }> {
  const cal = await readCsvFlag(values.cal, '--cal', cwd);
  const test = await readCsvFlag(values.test, '--test', cwd);
  return { cal, test };
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
