import { finiteArray, type NumericArray } from '../core/validate.js';

/** Post-sorting (Chernozhukov et al. rearrangement): each row of quantiles sorted ascending. */
export function sortQuantiles(rows: readonly NumericArray[]): Float64Array[] {
  return rows.map((row, i) => finiteArray(row, `rows[${i}]`).sort());
}

/** Pool-adjacent-violators: the non-decreasing least-squares fit to `values` (optional positive weights). */
export function isotonicFit(values: NumericArray, weights?: NumericArray): Float64Array {
  const n = values.length;
  const level = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    level[blocks] = values[i]!;
    weight[blocks] = weights ? weights[i]! : 1;
    size[blocks] = 1;
    blocks++;
    while (blocks > 1 && level[blocks - 2]! > level[blocks - 1]!) {
      const w = weight[blocks - 2]! + weight[blocks - 1]!;
      level[blocks - 2] =
        (level[blocks - 2]! * weight[blocks - 2]! + level[blocks - 1]! * weight[blocks - 1]!) / w;
      weight[blocks - 2] = w;
      size[blocks - 2] = size[blocks - 2]! + size[blocks - 1]!;
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let pos = 0;
  for (let b = 0; b < blocks; b++) for (let s = 0; s < size[b]!; s++) out[pos++] = level[b]!;
  return out;
}

/** Post isotonic regression of each row of quantiles (ordered by level). */
export function isotonicQuantiles(rows: readonly NumericArray[]): Float64Array[] {
  return rows.map((row, i) => isotonicFit(finiteArray(row, `rows[${i}]`)));
}
