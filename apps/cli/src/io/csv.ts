import { readFile } from 'node:fs/promises';
import { ModelsmithError } from '@modelsmith/core-tensor';

export interface CsvTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function inputError(message: string): ModelsmithError {
  return new ModelsmithError({ packageName: 'cli', code: 'E_INPUT', message });
}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string, path: string): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
    i++;
  }
  if (quoted) throw inputError(`${path}: unterminated quoted field`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  if (nonEmpty.length === 0) throw inputError(`${path}: the file is empty (expected a header row)`);
  const header = nonEmpty[0]!.map((name) => name.trim());
  const rows = nonEmpty.slice(1);
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      throw inputError(`${path}: row ${index + 2} has ${row.length} fields, the header has ${header.length}`);
    }
  });
  return { path, header, rows };
}

export async function readCsv(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelsmithError({
      packageName: 'cli',
      code: 'E_IO',
      message: `cannot read ${path}: ${(error as Error).message}`,
      cause: error,
    });
  }
  return parseCsv(text, path);
}

/** Index of a column by name; the error lists the columns that exist. */
export function columnIndex(table: CsvTable, name: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) throw inputError(`${table.path}: no column '${name}' (columns: ${table.header.join(', ')})`);
  return index;
}

export function hasColumn(table: CsvTable, name: string): boolean {
  return table.header.includes(name);
}

/** A column parsed as finite numbers; names the row of the first bad value. */
export function numberColumn(table: CsvTable, name: string): Float64Array {
  const index = columnIndex(table, name);
  const values = new Float64Array(table.rows.length);
  table.rows.forEach((row, r) => {
    const text = row[index]!.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      throw inputError(`${table.path}: row ${r + 2}, column '${name}': '${text}' is not a finite number`);
    }
    values[r] = value;
  });
  return values;
}

export function stringColumn(table: CsvTable, name: string): string[] {
  const index = columnIndex(table, name);
  return table.rows.map((row) => row[index]!.trim());
}
