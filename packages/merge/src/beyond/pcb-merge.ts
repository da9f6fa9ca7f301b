import { mergeError } from '../errors.js';
import { markTopK } from '../kernels/magnitude-rank.js';
import { keptCount } from '../methods/sparsify.js';

export interface PcbOptions {
  /** Fraction r of each task's balanced weights kept (paper 0.05–0.1, here default 0.1). */
  readonly ratio?: number;
  /** Final scale λ of the merged task vector (official code 1.2; default 1). */
  readonly lambda?: number;
}

function minMaxInPlace(values: Float32Array): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  for (let i = 0; i < values.length; i++) values[i] = range > 0 ? (values[i]! - min) / range : 0;
}

function softmaxInPlace(values: Float32Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.exp(values[i]! - max);
  for (let i = 0; i < values.length; i++) values[i] = Math.exp(values[i]! - max) / total;
}

/**
 * PCB-merging (Du et al. 2024), paper formulation over one flattened tensor (the paper and official
 * code work over the whole flattened model; per tensor is our streaming choice):
 * intra βᵢ = softmax(N · minmax(τᵢ²)), inter βᵢ = Σⱼ softmax(minmax(τᵢ ⊙ τⱼ)), β = intra ⊙ inter;
 * keep the top `ratio` of each βᵢ (exactly ⌊ratio·n⌋, ≥ 1, lower index first on ties, compared in
 * float32); θ = θ₀ + λ Σ β̂ᵢτᵢ / Σ β̂ᵢ (the base where no task is kept). Linear time per task pair.
 */
export function pcbMergeTensor(
  base: Float32Array,
  models: readonly Float32Array[],
  options: PcbOptions = {},
  scratch: { readonly reuseModels?: boolean } = {},
): Float32Array {
  const ratio = options.ratio ?? 0.1;
  const lambda = options.lambda ?? 1;
  if (!(ratio > 0 && ratio <= 1))
    throw mergeError('E_INVALID_OPTIONS', `pcb: ratio must be in (0, 1], got ${ratio}`);
  const n = base.length;
  const count = models.length;
  if (count === 0) throw mergeError('E_INPUT', 'pcb: need at least one task model');
  const tau = models.map((m) => {
    const t = scratch.reuseModels ? m : new Float32Array(n);
    for (let k = 0; k < n; k++) t[k] = m[k]! - base[k]!;
    return t;
  });
  const numerator = new Float32Array(n);
  const denominator = new Float32Array(n);
  const beta = new Float32Array(n);
  const inter = new Float32Array(n);
  const work = new Float32Array(n);
  const mask = new Uint8Array(n);
  const keep = keptCount(ratio, n);
  for (let i = 0; i < count; i++) {
    const ti = tau[i]!;
    for (let k = 0; k < n; k++) beta[k] = ti[k]! * ti[k]!;
    minMaxInPlace(beta);
    for (let k = 0; k < n; k++) beta[k] = count * beta[k]!;
    softmaxInPlace(beta);
    inter.fill(0);
    for (let j = 0; j < count; j++) {
      const tj = tau[j]!;
      for (let k = 0; k < n; k++) work[k] = ti[k]! * tj[k]!;
      minMaxInPlace(work);
      softmaxInPlace(work);
      for (let k = 0; k < n; k++) inter[k] = inter[k]! + work[k]!;
    }
    for (let k = 0; k < n; k++) beta[k] = beta[k]! * inter[k]!;
    mask.fill(0);
    markTopK(beta, keep, mask);
    for (let k = 0; k < n; k++) {
      if (mask[k] === 0) continue;
      numerator[k] = numerator[k]! + beta[k]! * ti[k]!;
      denominator[k] = denominator[k]! + beta[k]!;
    }
  }
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++)
    out[k] = base[k]! + (denominator[k]! > 0 ? (lambda * numerator[k]!) / denominator[k]! : 0);
  return out;
}
