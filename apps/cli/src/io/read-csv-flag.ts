import { resolve } from 'node:path';
import { UsageError } from '../command.js';
import { type CsvTable, readCsv } from './csv.js';

/** Reads the CSV named by a required flag (e.g. `--cal`), resolved against the working directory. */
export async function readCsvFlag(value: string | undefined, flag: string, cwd: string): Promise<CsvTable> {
  if (value === undefined) throw new UsageError(`missing ${flag} <file.csv>`);
  return readCsv(resolve(cwd, value));
}
