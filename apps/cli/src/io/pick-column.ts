import { type CsvTable, hasColumn } from './csv.js';
import { inputError } from './input-error.js';

export interface PickColumnOptions {
  /** Use the table's only column when none of the candidates exists (single-column files). */
  readonly soleColumn?: boolean;
}

/** The explicitly named column, else the first candidate that exists; the error lists what exists. */
export function pickColumn(
  table: CsvTable,
  explicit: string | undefined,
  candidates: readonly string[],
  flag: string,
  options: PickColumnOptions = {},
): string {
  if (explicit !== undefined) return explicit;
  const found = candidates.find((name) => hasColumn(table, name));
  if (found !== undefined) return found;
  if (options.soleColumn && table.header.length === 1) return table.header[0]!;
  throw inputError(
    `${table.path}: no column named ${candidates.map((c) => `'${c}'`).join(' or ')} (columns: ${table.header.join(', ')}); pass ${flag}`,
  );
}
