import { mergeError } from '../errors.js';

export interface EmrTensorResult {
  /** The unified task vector τ_uni (elect sign, max agreeing magnitude). */
  readonly unifiedDelta: Float32Array;
  /** Per task: Mᵢ = [τᵢ · σ > 0]. */
  readonly masks: readonly Uint8Array[];
  /** Per task: Σ|τᵢ| and Σ|Mᵢ ⊙ τ_uni| over this tensor, to be summed over the model for the rescalers. */
  readonly taskL1: Float64Array;
  readonly maskedUnifiedL1: Float64Array;
}

/**
 * EMR-merging (Huang et al. 2024), one tensor: elect σ = sign(Σ τᵢ) (ties → `zeroSign`, −1 in
 * FusionBench), unified magnitude = max |τᵢ| over sign-agreeing tasks, masks Mᵢ = [τᵢσ > 0].
 * The per-task rescaler is λᵢ = Σ|τᵢ| / Σ|Mᵢ ⊙ τ_uni| summed over ALL tensors (see `emrRescalers`).
 */
export function emrMergeTensor(
  base: Float32Array,
  models: readonly Float32Array[],
  options: { readonly zeroSign?: 'positive' | 'negative' } = {},
): EmrTensorResult {
  const n = base.length;
  const count = models.length;
  if (count === 0) throw mergeError('E_INPUT', 'emrMergeTensor: need at least one task model');
  const zeroSign = options.zeroSign === 'positive' ? 1 : -1;
  const unifiedDelta = new Float32Array(n);
  const masks = models.map(() => new Uint8Array(n));
  const taskL1 = new Float64Array(count);
  const maskedUnifiedL1 = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let m = 0; m < count; m++) sum += models[m]![i]! - base[i]!;
    const sign = sum > 0 ? 1 : sum < 0 ? -1 : zeroSign;
    let magnitude = 0;
    for (let m = 0; m < count; m++) {
      const tau = models[m]![i]! - base[i]!;
      taskL1[m]! += Math.abs(tau);
      if (tau * sign > 0) {
        masks[m]![i] = 1;
        if (Math.abs(tau) > magnitude) magnitude = Math.abs(tau);
      }
    }
    unifiedDelta[i] = sign * magnitude;
    for (let m = 0; m < count; m++) if (masks[m]![i] === 1) maskedUnifiedL1[m]! += magnitude;
  }
  return { unifiedDelta, masks, taskL1, maskedUnifiedL1 };
}

/** λᵢ = Σ_tensors Σ|τᵢ| / Σ_tensors Σ|Mᵢ ⊙ τ_uni| (1 when the masked unified vector is zero). */
export function emrRescalers(
  parts: readonly Pick<EmrTensorResult, 'taskL1' | 'maskedUnifiedL1'>[],
): Float64Array {
  const count = parts[0]?.taskL1.length ?? 0;
  const numerator = new Float64Array(count);
  const denominator = new Float64Array(count);
  for (const part of parts) {
    for (let m = 0; m < count; m++) {
      numerator[m]! += part.taskL1[m]!;
      denominator[m]! += part.maskedUnifiedL1[m]!;
    }
  }
  return numerator.map((num, m) => (denominator[m]! > 0 ? num / denominator[m]! : 1));
}

/** Task model i: θᵢ = θ₀ + λᵢ · Mᵢ ⊙ τ_uni. */
export function emrTaskTensor(
  base: Float32Array,
  unifiedDelta: Float32Array,
  mask: Uint8Array,
  rescaler: number,
): Float32Array {
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base[i]! + (mask[i] === 1 ? rescaler * unifiedDelta[i]! : 0);
  return out;
}
