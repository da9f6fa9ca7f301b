import { readFile } from 'node:fs/promises';
import type { ChinchillaParams } from '@modelsmith/scaling';
import { inputError } from '../../io/input-error.js';

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

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e5 || abs < 1e-3)
    ? value.toExponential(4)
    : Number(value.toPrecision(6)).toString();
}
