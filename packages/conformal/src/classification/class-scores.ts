/**
 * Per-label nonconformity scores for one probability row (larger = less conforming).
 * - LAC: 1 − π_y.
 * - APS: mass of the labels ranked above y plus U·π_y (U = 1 when not randomized).
 * - RAPS: APS + λ·(rank(y) − k_reg)^+, rank 1-based.
 * - top-k: rank(y), 1-based.
 * - SAPS (TorchCP): rank 1 → U·π_max, otherwise π_max + λ·(rank − 2 + U).
 * Ranks sort probabilities descending, ties broken by the lower label index first.
 */
export type ClassScore = 'lac' | 'aps' | 'raps' | 'topk' | 'saps';

export interface ScoreParameters {
  readonly score: ClassScore;
  readonly lambda: number;
  readonly kReg: number;
}

/** Fills `order` with label indices by descending probability (stable). */
export function rankLabels(data: Float64Array, offset: number, k: number, order: Int32Array): void {
  for (let c = 0; c < k; c++) order[c] = c;
  // insertion sort: K is small, and it is stable
  for (let a = 1; a < k; a++) {
    const label = order[a]!;
    const p = data[offset + label]!;
    let b = a - 1;
    while (b >= 0 && data[offset + order[b]!]! < p) {
      order[b + 1] = order[b]!;
      b--;
    }
    order[b + 1] = label;
  }
}

/**
 * Scores of every label of row `i` into `out` (length K), with tie-breaking uniform `u`
 * (u = 1 for the non-randomized scores). `order` is scratch space of length K.
 */
export function rowScores(
  data: Float64Array,
  i: number,
  k: number,
  params: ScoreParameters,
  u: number,
  order: Int32Array,
  out: Float64Array,
): void {
  const offset = i * k;
  if (params.score === 'lac') {
    for (let c = 0; c < k; c++) out[c] = 1 - data[offset + c]!;
    return;
  }
  rankLabels(data, offset, k, order);
  let before = 0;
  const pMax = data[offset + order[0]!]!;
  for (let r = 0; r < k; r++) {
    const label = order[r]!;
    const p = data[offset + label]!;
    if (params.score === 'topk') out[label] = r + 1;
    else if (params.score === 'saps') out[label] = r === 0 ? u * pMax : pMax + params.lambda * (r - 1 + u);
    else {
      const penalty = params.score === 'raps' ? params.lambda * Math.max(0, r + 1 - params.kReg) : 0;
      out[label] = before + u * p + penalty;
    }
    before += p;
  }
}
