import {
  createMatrix,
  isFloatDType,
  openCheckpoint,
  type ProgressCallback,
  parseOptions,
  type SvdResult,
  svd,
  toFloat32,
  transpose,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { parseLoraConfig } from '../config/lora-config.js';
import { peftError } from '../errors.js';
import { floatTensor } from '../io/float-tensor.js';
import type { LoraAdapter, LoraModuleWeights } from '../io/lora-adapter.js';
import { leadingSvd, loraFactorsFromSvd } from '../linalg/lora-svd.js';

export const extractAdapterOptionsSchema = z
  .object({
    base: z.string().min(1),
    tuned: z.string().min(1),
    /** Rank per module (the maximum when `energy` is also given). */
    rank: z.number().int().positive().optional(),
    /** Smallest rank keeping this fraction of ‖ΔW‖_F² (e.g. 0.9); uses a full SVD per module. */
    energy: z.number().gt(0).max(1).optional(),
    /** Regex that must fully match the module path (tensor name minus `.weight`); default: every 2-D float weight. */
    targets: z.string().min(1).optional(),
    seed: z.number().int().default(0),
    /**
     * Regex (full match on the module path) of embedding tables, written as `lora_embedding_A/B`
     * (ΔW = (B·A)ᵀ) instead of `lora_A/B`. Default: paths containing "embed", or ending in wte/wpe.
     */
    embeddingModules: z.string().default('.*embed.*|(.*\\.)?(wte|wpe)'),
    /** Recorded in adapter_config.json. */
    baseModelNameOrPath: z.string().nullable().default(null),
  })
  .refine((v) => v.rank !== undefined || v.energy !== undefined, {
    message: 'give rank, energy, or both',
    path: ['rank'],
  });
export type ExtractAdapterOptionsInput = z.input<typeof extractAdapterOptionsSchema>;

export interface ExtractReport {
  readonly modules: { path: string; rank: number; relativeError: number }[];
  /** Tensors that differ but are not 2-D `.weight` matrices (biases, norms): not representable as LoRA. */
  readonly skipped: string[];
}

/**
 * Extracts a LoRA adapter from base and fine-tuned checkpoints: ΔW = W_tuned − W_base per 2-D
 * weight, truncated SVD ΔW ≈ U·S·Vᵀ, B = U·√S, A = √S·Vᵀ, with `lora_alpha = r` (scaling 1).
 * Unchanged weights are left out. Tensors are read one at a time.
 */
export async function extractAdapterFromCheckpoints(
  optionsInput: ExtractAdapterOptionsInput,
  onProgress?: ProgressCallback,
): Promise<{ adapter: LoraAdapter; report: ExtractReport }> {
  const options = parseOptions('peft', 'extract options', extractAdapterOptionsSchema, optionsInput);
  let targets: RegExp | undefined;
  if (options.targets !== undefined) {
    try {
      targets = new RegExp(`^(?:${options.targets})$`);
    } catch (error) {
      throw peftError('E_CONFIG', `targets "${options.targets}" is not a valid regular expression`, error);
    }
  }
  const base = await openCheckpoint(options.base);
  const tuned = await openCheckpoint(options.tuned);
  try {
    const modules = new Map<string, LoraModuleWeights>();
    const reportModules: ExtractReport['modules'] = [];
    const skipped: string[] = [];
    let done = 0;
    for (const info of tuned.tensors) {
      done++;
      onProgress?.({ done, total: tuned.tensors.length, label: info.name });
      if (!isFloatDType(info.dtype)) continue;
      const isMatrix = info.shape.length === 2 && info.name.endsWith('.weight');
      const path = info.name.slice(0, -'.weight'.length);
      if (isMatrix && targets && !targets.test(path)) continue;
      if (!base.has(info.name)) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `tensor "${info.name}" of the tuned checkpoint is not in the base checkpoint ${base.path}`,
        );
      }
      const baseInfo = base.info(info.name);
      if (baseInfo.shape.length !== info.shape.length || baseInfo.shape.some((d, i) => d !== info.shape[i])) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `tensor "${info.name}" is [${info.shape.join(', ')}] in the tuned checkpoint but [${baseInfo.shape.join(', ')}] in the base`,
        );
      }
      const after = toFloat32(await tuned.read(info.name));
      const before = toFloat32(await base.read(info.name));
      const delta = new Float64Array(after.length);
      let norm2 = 0;
      for (let i = 0; i < delta.length; i++) {
        const d = after[i]! - before[i]!;
        delta[i] = d;
        norm2 += d * d;
      }
      if (norm2 === 0) continue;
      if (!isMatrix) {
        if (!targets) skipped.push(info.name);
        continue;
      }
      // Embedding tables [num, dim] factorise as ΔWᵀ = B·A with B [dim, r], A [r, num].
      const embedding = new RegExp(`^(?:${options.embeddingModules})$`).test(path);
      const [rows, cols] = (embedding ? [info.shape[1], info.shape[0]] : info.shape) as [number, number];
      const matrix = embedding ? transpose(createMatrix(cols, rows, delta)) : createMatrix(rows, cols, delta);
      const limit = Math.min(rows, cols);
      let decomposition: SvdResult;
      let k: number;
      if (options.energy !== undefined) {
        decomposition = svd(matrix, { economy: true });
        let kept = 0;
        k = 0;
        while (k < decomposition.s.length && kept < options.energy * norm2 * (1 - 1e-12))
          kept += decomposition.s[k++]! ** 2;
        k = Math.max(1, Math.min(k, options.rank ?? limit));
      } else {
        k = Math.min(options.rank!, limit);
        decomposition = leadingSvd(matrix, k, options.seed);
      }
      const factors = loraFactorsFromSvd(decomposition, k, 'sqrt');
      const a = Float32Array.from(factors.a);
      const b = Float32Array.from(factors.b);
      let tail = norm2;
      for (let c = 0; c < k; c++) tail -= decomposition.s[c]! ** 2;
      modules.set(path, {
        kind: embedding ? 'embedding' : 'linear',
        loraA: floatTensor([k, cols], a),
        loraB: floatTensor([rows, k], b),
      });
      reportModules.push({ path, rank: k, relativeError: Math.sqrt(Math.max(0, tail) / norm2) });
    }
    if (modules.size === 0) {
      throw peftError(
        'E_INPUT',
        `no 2-D weight differs between ${options.base} and ${options.tuned}${options.targets ? ` among modules matching "${options.targets}"` : ''}`,
      );
    }
    const counts = new Map<number, number>();
    for (const m of reportModules) counts.set(m.rank, (counts.get(m.rank) ?? 0) + 1);
    const r = [...counts].sort((x, y) => y[1] - x[1] || y[0] - x[0])[0]![0];
    const pattern: Record<string, number> = {};
    for (const m of reportModules) if (m.rank !== r) pattern[m.path] = m.rank;
    const config = parseLoraConfig({
      peft_type: 'LORA',
      task_type: null,
      base_model_name_or_path: options.baseModelNameOrPath,
      r,
      lora_alpha: r,
      target_modules: reportModules.map((m) => m.path),
      rank_pattern: pattern,
      alpha_pattern: { ...pattern },
    });
    return {
      adapter: { config, modules, savedModules: new Map() },
      report: { modules: reportModules, skipped },
    };
  } finally {
    await base.close();
    await tuned.close();
  }
}
