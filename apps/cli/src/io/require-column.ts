import { type CsvTable, hasColumn, numberColumn } from './csv.js';
import { inputError } from './input-error.js';

/** A required numeric column; the error says why the command needs it and lists the columns. */
export function requireColumn(table: CsvTable, name: string, why: string): Float64Array {
  if (!hasColumn(table, name)) {
    throw inputError(`${table.path}: no column '${name}' (${why}; columns: ${table.header.join(', ')})`);
  }
  return numberColumn(table, name);
}

/** A numeric column that may be absent (e.g. test labels): undefined when the file has no such column. */
export function optionalColumn(table: CsvTable, name: string): Float64Array | undefined {
  return hasColumn(table, name) ? numberColumn(table, name) : undefined;
}
