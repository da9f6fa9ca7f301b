import type { LoraModuleWeights } from './lora-adapter.js';

/** Shape of the base weight a module's delta applies to, in PyTorch orientation. */
export function loraDeltaShape(module: LoraModuleWeights, fanInFanOut = false): number[] {
  const a = module.loraA.shape;
  const b = module.loraB.shape;
  if (module.kind === 'embedding') return [a[1]!, b[0]!]; // [num_embeddings, embedding_dim]
  if (module.kind === 'conv2d') return [b[0]!, a[1]!, a[2]!, a[3]!];
  return fanInFanOut ? [a[1]!, b[0]!] : [b[0]!, a[1]!];
}

/**
 * ΔW = scaling·B·A in the orientation of the base weight: Linear `[out, in]` (or `[in, out]` with
 * `fan_in_fan_out`), Embedding `[num_embeddings, dim]` = scaling·(B·A)ᵀ, Conv2d `[out, in, kh, kw]`.
 * Accumulates in float64, returns float32.
 */
export function loraDeltaWeight(
  module: LoraModuleWeights,
  scaling: number,
  fanInFanOut = false,
): Float32Array {
  const a = module.loraA.data;
  const b = module.loraB.data;
  const r = module.loraA.shape[0]!;
  const out = module.loraB.shape[0]!;
  const inner = a.length / r; // in·kh·kw, or num_embeddings
  const transposed = module.kind === 'embedding' || (module.kind === 'linear' && fanInFanOut);
  const delta = new Float32Array(out * inner);
  const row = new Float64Array(inner);
  for (let o = 0; o < out; o++) {
    row.fill(0);
    for (let k = 0; k < r; k++) {
      const coefficient = b[o * r + k]!;
      if (coefficient === 0) continue;
      const base = k * inner;
      for (let j = 0; j < inner; j++) row[j]! += coefficient * a[base + j]!;
    }
    if (transposed) for (let j = 0; j < inner; j++) delta[j * out + o] = scaling * row[j]!;
    else for (let j = 0; j < inner; j++) delta[o * inner + j] = scaling * row[j]!;
  }
  return delta;
}

/**
 * Adds scaling·B·A into a weight in PyTorch orientation, in place (the streaming merge). Each entry is a
 * length-r dot product over a transposed copy of A, which avoids materialising ΔW.
 */
export function addLoraDelta(
  weight: Float32Array,
  module: LoraModuleWeights,
  scaling: number,
  fanInFanOut = false,
): void {
  if (module.kind === 'embedding' || (module.kind === 'linear' && fanInFanOut)) {
    const delta = loraDeltaWeight(module, scaling, fanInFanOut);
    for (let i = 0; i < weight.length; i++) weight[i]! += delta[i]!;
    return;
  }
  const r = module.loraA.shape[0]!;
  const out = module.loraB.shape[0]!;
  const inner = module.loraA.data.length / r;
  const a = module.loraA.data;
  const b = module.loraB.data;
  const at = new Float64Array(inner * r);
  for (let k = 0; k < r; k++) for (let j = 0; j < inner; j++) at[j * r + k] = a[k * inner + j]!;
  const row = new Float64Array(r);
  for (let o = 0; o < out; o++) {
    for (let k = 0; k < r; k++) row[k] = scaling * b[o * r + k]!;
    const base = o * inner;
    for (let j = 0; j < inner; j++) {
      let sum = 0;
      const jb = j * r;
      for (let k = 0; k < r; k++) sum += row[k]! * at[jb + k]!;
      weight[base + j]! += sum;
    }
  }
}
