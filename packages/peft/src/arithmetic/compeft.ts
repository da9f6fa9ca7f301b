import { parseOptions, topKMagnitudeMask } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { floatTensor } from '../io/float-tensor.js';
import type { LoraAdapter, LoraModuleWeights } from '../io/lora-adapter.js';

export const compeftOptionsSchema = z.object({
  /** Fraction of entries kept per tensor (top-k by |τ|). */
  density: z.number().gt(0).max(1),
  /** α = γ·std(τ). */
  gamma: z.number().positive().default(1),
  /**
   * `dense`: std over the original dense τ (the paper); `pruned`: std after zeroing the pruned
   * entries (the reference code).
   */
  stdOf: z.enum(['dense', 'pruned']).default('dense'),
});
export type CompeftOptionsInput = z.input<typeof compeftOptionsSchema>;

export interface CompressedTaskVector {
  /** sign(τ)·α on the kept entries, 0 elsewhere. */
  readonly values: Float32Array;
  readonly alpha: number;
  readonly kept: number;
  /** Bits of the stored form: a presence bitmask (n bits), one sign bit per kept entry, one float32 α. */
  readonly compressedBits: number;
}

function std(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i]! - mean) ** 2;
  return Math.sqrt(variance / values.length);
}

/** ComPEFT on one task vector: keep the top-k by |τ|, replace each by sign(τ)·γ·std(τ). */
export function compeftCompress(task: Float32Array, optionsInput: CompeftOptionsInput): CompressedTaskVector {
  const options = parseOptions('peft', 'ComPEFT options', compeftOptionsSchema, optionsInput);
  const k = Math.round(options.density * task.length);
  const mask = topKMagnitudeMask(task, k);
  let alpha: number;
  if (options.stdOf === 'dense') alpha = options.gamma * std(task);
  else {
    const pruned = new Float32Array(task.length);
    for (let i = 0; i < task.length; i++) if (mask[i]) pruned[i] = task[i]!;
    alpha = options.gamma * std(pruned);
  }
  const values = new Float32Array(task.length);
  for (let i = 0; i < task.length; i++) if (mask[i]) values[i] = Math.sign(task[i]!) * alpha;
  return { values, alpha, kept: k, compressedBits: task.length + k + 32 };
}

export interface CompeftReport {
  readonly tensors: number;
  readonly parameters: number;
  readonly kept: number;
  /** float32 bits of the dense factors / bits of the ternary form (bitmask + signs + α per tensor). */
  readonly compressionRatio: number;
}

/** Compresses every LoRA factor (A and B) of an adapter with ComPEFT; the result is a valid dense adapter. */
export function compressAdapter(
  adapter: LoraAdapter,
  options: CompeftOptionsInput,
): { adapter: LoraAdapter; report: CompeftReport } {
  const modules = new Map<string, LoraModuleWeights>();
  let parameters = 0;
  let kept = 0;
  let bits = 0;
  let tensors = 0;
  for (const [path, module] of adapter.modules) {
    const a = compeftCompress(module.loraA.data, options);
    const b = compeftCompress(module.loraB.data, options);
    for (const part of [a, b]) {
      parameters += part.values.length;
      kept += part.kept;
      bits += part.compressedBits;
      tensors++;
    }
    modules.set(path, {
      ...module,
      loraA: floatTensor(module.loraA.shape, a.values),
      loraB: floatTensor(module.loraB.shape, b.values),
    });
  }
  return {
    adapter: { config: adapter.config, modules, savedModules: adapter.savedModules },
    report: { tensors, parameters, kept, compressionRatio: bits > 0 ? (32 * parameters) / bits : 1 },
  };
}
