import { z } from 'zod';
import { parseOptions } from '../errors/invalid-options-error.js';
import { createRandom } from '../random/keyed-random.js';
import { type DenseMatrix, linalgError, transpose } from './dense-matrix.js';
import { householderBasis } from './householder-basis.js';
import { matmul } from './matmul.js';
import { assertFinite, type SvdResult, svd } from './svd.js';

export interface TruncatedSvdOptions {
  /**
   * `exact` (default): the economy SVD, truncated. `randomized`: Halko–Martinsson–Tropp range
   * finder with power iterations, O(m·n·(rank + oversample)) — for large matrices with a decaying
   * spectrum; exact (to rounding) when rank(a) ≤ rank + oversample.
   */
  readonly method?: 'exact' | 'randomized';
  /** Seed of the Gaussian test matrix (required for `randomized`). */
  readonly seed?: number;
  /** Extra sampled directions beyond `rank` (randomized only, default 10). */
  readonly oversample?: number;
  /** Power iterations sharpening the range (randomized only, default 2). */
  readonly powerIterations?: number;
}

const optionsSchema = z
  .object({
    method: z.enum(['exact', 'randomized']).optional(),
    seed: z.number().int().optional(),
    oversample: z.number().int().min(0).optional(),
    powerIterations: z.number().int().min(0).max(50).optional(),
  })
  .refine((o) => o.method !== 'randomized' || o.seed !== undefined, {
    message: "method 'randomized' needs a seed (same seed → same result)",
    path: ['seed'],
  });

/** The leading `rank` singular triplets: u is m×rank, s has `rank` values (descending), v is n×rank. */
export function truncatedSvd(a: DenseMatrix, rank: number, options: TruncatedSvdOptions = {}): SvdResult {
  const limit = Math.min(a.rows, a.cols);
  if (!Number.isInteger(rank) || rank < 0 || rank > limit) {
    throw linalgError(
      'E_INPUT',
      `truncatedSvd: rank must be an integer in [0, ${limit}] for a ${a.rows}×${a.cols} matrix, got ${rank}`,
    );
  }
  const parsed = parseOptions('core-tensor', 'truncatedSvd options', optionsSchema, options);
  if (parsed.method !== 'randomized') {
    const full = svd(a, { economy: true });
    return { u: leadingColumns(full.u, rank), s: full.s.slice(0, rank), v: leadingColumns(full.v, rank) };
  }
  assertFinite('truncatedSvd', a);
  const sample = Math.min(limit, rank + (parsed.oversample ?? 10));
  const omega = { rows: a.cols, cols: sample, data: new Float64Array(a.cols * sample) };
  createRandom(parsed.seed!, 'truncatedSvd', a.rows, a.cols).fillNormal(omega.data);
  const at = transpose(a);
  // Q spans the (sharpened) range of a·Ω; re-orthonormalised between products to keep precision.
  let q = orthonormal(matmul(a, omega));
  for (let i = 0; i < (parsed.powerIterations ?? 2); i++)
    q = orthonormal(matmul(a, orthonormal(matmul(at, q))));
  const b = matmul(transpose(q), a); // sample × n
  const small = svd(b, { economy: true });
  const u = matmul(q, small.u);
  return { u: leadingColumns(u, rank), s: small.s.slice(0, rank), v: leadingColumns(small.v, rank) };
}

function orthonormal(y: DenseMatrix): DenseMatrix {
  return householderBasis(y, 0, y.cols);
}

function leadingColumns(m: DenseMatrix, count: number): DenseMatrix {
  const data = new Float64Array(m.rows * count);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < count; j++) data[i * count + j] = m.data[i * m.cols + j]!;
  }
  return { rows: m.rows, cols: count, data };
}
