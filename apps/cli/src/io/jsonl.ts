import { readFile } from 'node:fs/promises';
import { ModelsmithError } from '@modelsmith/core-tensor';

/** Reads a JSON Lines file; blank lines are skipped, a bad line is named by number. */
export async function readJsonl(path: string): Promise<unknown[]> {
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
  const values: unknown[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      throw new ModelsmithError({
        packageName: 'cli',
        code: 'E_INPUT',
        message: `${path}: line ${index + 1} is not valid JSON (${(error as Error).message})`,
        cause: error,
      });
    }
  });
  return values;
}
