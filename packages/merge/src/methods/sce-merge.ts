import { markTopK } from '../kernels/magnitude-rank.js';

/**
 * SCE (FuseChat): select the top `selectTopK` fraction of positions by variance across models
 * (among positions with non-zero variance), weight each model by mean(τᵢ²) normalised to sum 1,
 * erase entries disagreeing with the TIES "sum" sign, and take the weighted mean of the rest.
 */
export function sceMerge(
  base: Float32Array,
  models: readonly Float32Array[],
  options: { readonly selectTopK: number },
): Float32Array {
  const n = base.length;
  const count = models.length;
  const deltas = models.map((model) => {
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = model[i]! - base[i]!;
    return d;
  });
  if (options.selectTopK < 1) {
    const variance = new Float32Array(n);
    let nonZero = 0;
    for (let i = 0; i < n; i++) {
      let mean = 0;
      for (let m = 0; m < count; m++) mean += deltas[m]![i]!;
      mean /= count;
      let v = 0;
      for (let m = 0; m < count; m++) v += (deltas[m]![i]! - mean) ** 2;
      variance[i] = v / count;
      if (variance[i]! !== 0) nonZero++;
    }
    const keep = new Uint8Array(n);
    markTopK(variance, Math.floor(options.selectTopK * nonZero), keep);
    for (let i = 0; i < n; i++) if (keep[i] === 0) for (const d of deltas) d[i] = 0;
  }
  const omega = new Float64Array(count);
  let omegaSum = 0;
  for (let m = 0; m < count; m++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += deltas[m]![i]! ** 2;
    omega[m] = n > 0 ? s / n : 0;
    omegaSum += omega[m]!;
  }
  for (let m = 0; m < count; m++) omega[m] = omegaSum > 1e-12 ? omega[m]! / omegaSum : 1 / count;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let m = 0; m < count; m++) sum += deltas[m]![i]!;
    const sign = sum < 0 ? -1 : 1;
    let mixed = 0;
    let divisor = 0;
    for (let m = 0; m < count; m++) {
      const d = deltas[m]![i]!;
      if ((sign > 0 && d > 0) || (sign < 0 && d < 0)) {
        mixed += omega[m]! * d;
        divisor += omega[m]!;
      }
    }
    out[i] = base[i]! + mixed / Math.max(divisor, 1e-6);
  }
  return out;
}
