import { type DenseMatrix, linalgError } from './dense-matrix.js';

export interface LinearAssignmentOptions {
  /** Maximise the total instead of minimising it. */
  readonly maximize?: boolean;
}

/**
 * Optimal linear assignment (the Hungarian algorithm with potentials and shortest augmenting
 * paths, Jonker–Volgenant style), O(r²·c) for r = min(rows, cols) ≤ c = max(rows, cols).
 *
 * Returns `assignment[row] = col`. Rectangular costs are allowed: with rows ≤ cols every row gets
 * a distinct column; with rows > cols every column gets one row and the other rows get −1.
 * Costs must be finite (E_NUMERIC otherwise).
 */
export function linearAssignment(cost: DenseMatrix, options: LinearAssignmentOptions = {}): Int32Array {
  const { rows, cols, data } = cost;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw linalgError(
        'E_NUMERIC',
        `linearAssignment: cost (${Math.floor(i / cols)}, ${i % cols}) is ${data[i]}; costs must be finite (use a large finite value to forbid a pair)`,
      );
    }
  }
  const sign = options.maximize ? -1 : 1;
  const transposed = rows > cols;
  const n = transposed ? cols : rows; // the side that is fully assigned
  const m = transposed ? rows : cols;
  // a[(i-1)*m + (j-1)] for the 1-based indices used below.
  const a = new Float64Array(n * m);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value = sign * data[i * cols + j]!;
      if (transposed) a[j * m + i] = value;
      else a[i * m + j] = value;
    }
  }
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j] = row (1-based) matched to column j, 0 if none
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      const rowBase = (i0 - 1) * m - 1;
      const ui0 = u[i0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const current = a[rowBase + j]! - ui0 - v[j]!;
        if (current < minv[j]!) {
          minv[j] = current;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Int32Array(rows).fill(-1);
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    if (transposed) assignment[j - 1] = i - 1;
    else assignment[i - 1] = j - 1;
  }
  return assignment;
}
