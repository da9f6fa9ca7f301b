import { readFile } from 'node:fs/promises';
import { ModelsmithError } from '@modelsmith/core-tensor';
import type { ChinchillaParams } from '@modelsmith/scaling';
import { UsageError } from '../../command.js';
import { type CsvTable, hasColumn } from '../../io/csv.js';

export function inputError(message: string): ModelsmithError {
  return new ModelsmithError({ packageName: 'cli', code: 'E_INPUT', message });
}

/** The explicitly named column, else the first default that exists; the error lists what exists. */
export function pickColumn(
  table: CsvTable,
  explicit: string | undefined,
  defaults: readonly string[],
  flag: string,
) {
  if (explicit !== undefined) return explicit;
  const found = defaults.find((name) => hasColumn(table, name));
  if (found === undefined) {
    throw inputError(
      `${table.path}: none of the columns ${defaults.map((d) => `'${d}'`).join(', ')} exists; ` +
        `name one with ${flag} (columns: ${table.header.join(', ')})`,
    );
  }
  return found;
}

/** Reads the `params` object of a `modelsmith scaling fit --json` output (or any {E, A, B, alpha, beta}). */
export async function readFitParams(path: string): Promise<ChinchillaParams> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw inputError(`cannot read a fit from ${path}: ${(error as Error).message}`);
  }
  const source = (value as { params?: unknown })?.params ?? value;
  const p = source as Record<string, unknown>;
  for (const key of ['E', 'A', 'B', 'alpha', 'beta']) {
    if (typeof p?.[key] !== 'number') {
      throw inputError(
        `${path}: expected params.${key} as a number (the output of \`modelsmith scaling fit --json\`)`,
      );
    }
  }
  return {
    E: p.E as number,
    A: p.A as number,
    B: p.B as number,
    alpha: p.alpha as number,
    beta: p.beta as number,
  };
}

export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a non-negative integer, got '${value}'`);
  return n;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e5 || abs < 1e-3)
    ? value.toExponential(4)
    : Number(value.toPrecision(6)).toString();
}
