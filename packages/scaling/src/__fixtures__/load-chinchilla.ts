import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads the shipped Chinchilla CSV: N, C, loss and tokens D = C/(6N). Test helper only. */
export function loadChinchillaFixture(): {
  params: number[];
  compute: number[];
  tokens: number[];
  loss: number[];
} {
  const path = fileURLToPath(new URL('./svg_extracted_data.csv', import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const iN = header.indexOf('Model Size');
  const iC = header.indexOf('Training FLOP');
  const iL = header.indexOf('loss');
  const params: number[] = [];
  const compute: number[] = [];
  const loss: number[] = [];
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    params.push(Number(fields[iN]));
    compute.push(Number(fields[iC]));
    loss.push(Number(fields[iL]));
  }
  return { params, compute, tokens: compute.map((c, i) => c / (6 * params[i]!)), loss };
}
