import { createMatrix, createRandom, parseOptions, transpose } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { type LoraConfig, parseLoraConfig } from '../config/lora-config.js';
import { moduleLoraParameters } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { floatTensor } from '../io/float-tensor.js';
import type { LoraAdapter, LoraModuleWeights } from '../io/lora-adapter.js';
import { loraDeltaShape, loraDeltaWeight } from '../io/lora-delta.js';
import { leadingSvd, loraFactorsFromSvd } from '../linalg/lora-svd.js';
import { darePrune, disjointMerge, magnitudePrune, weightedSum } from './task-vector-rules.js';

export const COMBINATION_TYPES = [
  'svd',
  'linear',
  'cat',
  'ties',
  'ties_svd',
  'dare_linear',
  'dare_linear_svd',
  'dare_ties',
  'dare_ties_svd',
  'magnitude_prune',
  'magnitude_prune_svd',
] as const;
export type CombinationType = (typeof COMBINATION_TYPES)[number];

export const combineOptionsSchema = z.object({
  /** One weight per adapter. */
  weights: z.array(z.number()).min(1),
  /** PEFT's `combination_type`. Every type except `cat` combines full ΔW and re-factorises by SVD. */
  method: z.enum(COMBINATION_TYPES).default('svd'),
  /** Fraction kept by ties / dare_* / magnitude_prune. */
  density: z.number().gt(0).max(1).default(1),
  majoritySignMethod: z.enum(['total', 'frequency']).default('total'),
  /** Rank of the result (default: the largest source rank of the module). */
  svdRank: z.number().int().positive().optional(),
  /** Seed of the DARE masks (keyed by module path and adapter index). */
  seed: z.number().int().default(0),
});
export type CombineOptionsInput = z.input<typeof combineOptionsSchema>;

export interface CombineReport {
  /** Per module: new rank, and ‖ΔW − B·A‖_F and the tail singular mass sqrt(Σ_{j>k} σⱼ²) of the SVD truncation. */
  readonly modules: { path: string; rank: number; error: number; tailMass: number }[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Combines LoRA adapters into one (PEFT's `add_weighted_adapter` semantics, on full ΔW). `cat`
 * concatenates scaled factors and is exact; the others combine ΔWᵢ = sᵢ·Bᵢ·Aᵢ with the merge rule
 * and truncate an SVD (B = U·S, A = Vᵀ). The result has `lora_alpha = r` (scaling 1).
 */
export function combineAdapters(
  adapters: readonly LoraAdapter[],
  optionsInput: CombineOptionsInput,
): { adapter: LoraAdapter; report: CombineReport } {
  const options = parseOptions('peft', 'combine options', combineOptionsSchema, optionsInput);
  if (adapters.length === 0) throw peftError('E_INPUT', 'combineAdapters needs at least one adapter');
  if (options.weights.length !== adapters.length) {
    throw peftError(
      'E_INPUT',
      `got ${options.weights.length} weights for ${adapters.length} adapters; give one weight per adapter`,
    );
  }
  const paths = [...new Set(adapters.flatMap((adapter) => [...adapter.modules.keys()]))].sort();
  const modules = new Map<string, LoraModuleWeights>();
  const report: CombineReport['modules'] = [];
  const rankPattern: Record<string, number> = {};
  const ranks = new Map<string, number>();
  for (const path of paths) {
    const present = adapters
      .map((adapter, index) => ({ adapter, index, module: adapter.modules.get(path) }))
      .filter(
        (entry): entry is { adapter: LoraAdapter; index: number; module: LoraModuleWeights } =>
          entry.module !== undefined,
      );
    const first = present[0]!;
    const kind = first.module.kind;
    const fanInFanOut = first.adapter.config.fan_in_fan_out;
    const shape = loraDeltaShape(first.module, fanInFanOut);
    for (const entry of present) {
      if (
        entry.module.kind !== kind ||
        !sameShape(loraDeltaShape(entry.module, entry.adapter.config.fan_in_fan_out), shape)
      ) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `module "${path}": adapter ${entry.index} has a ${entry.module.kind} delta of shape [${loraDeltaShape(entry.module).join(', ')}], adapter ${first.index} has [${shape.join(', ')}]`,
        );
      }
      if (entry.adapter.config.fan_in_fan_out !== fanInFanOut) {
        throw peftError('E_CONFIG', `module "${path}": adapters disagree on fan_in_fan_out`);
      }
    }
    if (options.method === 'cat') {
      const built = concatenate(path, present, options.weights);
      modules.set(path, built);
      ranks.set(path, built.loraA.shape[0]!);
      report.push({ path, rank: built.loraA.shape[0]!, error: 0, tailMass: 0 });
      continue;
    }
    const deltas = present.map(({ adapter, module }) =>
      loraDeltaWeight(module, moduleLoraParameters(path, adapter.config).scaling, fanInFanOut),
    );
    const weights = present.map(({ index }) => options.weights[index]!);
    const combined = combineDeltas(
      deltas,
      weights,
      options.method,
      options.density,
      options.majoritySignMethod,
      (i) => createRandom(options.seed, 'dare', path, present[i]!.index),
    );
    const maxRank = Math.max(...present.map(({ module }) => module.loraA.shape[0]!));
    const built = refactorise(kind, shape, combined, options.svdRank ?? maxRank, fanInFanOut, options.seed);
    modules.set(path, built.module);
    ranks.set(path, built.module.loraA.shape[0]!);
    report.push({ path, rank: built.module.loraA.shape[0]!, error: built.error, tailMass: built.tailMass });
  }
  const counts = new Map<number, number>();
  for (const r of ranks.values()) counts.set(r, (counts.get(r) ?? 0) + 1);
  const r = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 8;
  for (const [path, rank] of ranks) if (rank !== r) rankPattern[path] = rank;
  const template = adapters[0]!.config;
  const config: LoraConfig = parseLoraConfig({
    ...template,
    r,
    lora_alpha: r,
    use_rslora: false,
    use_dora: false,
    rank_pattern: rankPattern,
    alpha_pattern: { ...rankPattern },
    target_modules: paths,
    init_lora_weights: true,
  });
  return {
    adapter: { config, modules, savedModules: new Map(adapters[0]!.savedModules) },
    report: { modules: report },
  };
}

function combineDeltas(
  deltas: Float32Array[],
  weights: number[],
  method: CombinationType,
  density: number,
  signMethod: 'total' | 'frequency',
  randomFor: (i: number) => ReturnType<typeof createRandom>,
): Float32Array {
  const base = method.replace(/_svd$/, '');
  switch (base) {
    case 'svd':
    case 'linear':
      return weightedSum(deltas, weights);
    case 'magnitude_prune':
      return weightedSum(
        deltas.map((d) => magnitudePrune(d, density)),
        weights,
      );
    case 'dare_linear':
      return weightedSum(
        deltas.map((d, i) => darePrune(d, density, randomFor(i))),
        weights,
      );
    case 'ties':
    case 'dare_ties': {
      const pruned = deltas.map((d, i) =>
        base === 'ties' ? magnitudePrune(d, density) : darePrune(d, density, randomFor(i)),
      );
      const weighted = pruned.map((d, i) => {
        const out = new Float32Array(d.length);
        for (let j = 0; j < d.length; j++) out[j] = weights[i]! * d[j]!;
        return out;
      });
      return disjointMerge(weighted, signMethod);
    }
    default:
      throw peftError('E_CONFIG', `unknown combination type "${method}"`);
  }
}

/** `cat`: A' = [w₁s₁A₁; w₂s₂A₂; …], B' = [B₁ | B₂ | …], so B'·A' = Σ wᵢ·sᵢ·Bᵢ·Aᵢ exactly. */
function concatenate(
  path: string,
  present: { adapter: LoraAdapter; index: number; module: LoraModuleWeights }[],
  weights: readonly number[],
): LoraModuleWeights {
  const first = present[0]!.module;
  const inner = first.loraA.data.length / first.loraA.shape[0]!;
  const out = first.loraB.shape[0]!;
  const totalRank = present.reduce((sum, { module }) => sum + module.loraA.shape[0]!, 0);
  const a = new Float32Array(totalRank * inner);
  const b = new Float32Array(out * totalRank);
  let offset = 0;
  for (const { adapter, index, module } of present) {
    const r = module.loraA.shape[0]!;
    const factor = weights[index]! * moduleLoraParameters(path, adapter.config).scaling;
    for (let j = 0; j < r * inner; j++) a[offset * inner + j] = factor * module.loraA.data[j]!;
    for (let o = 0; o < out; o++)
      for (let c = 0; c < r; c++) b[o * totalRank + offset + c] = module.loraB.data[o * r + c]!;
    offset += r;
  }
  const aShape = [totalRank, ...first.loraA.shape.slice(1)];
  const bShape = [out, totalRank, ...first.loraB.shape.slice(2)];
  return { kind: first.kind, loraA: floatTensor(aShape, a), loraB: floatTensor(bShape, b) };
}

/**
 * Factorises a ΔW (base-weight orientation) as B·A of rank ≤ `rank` by truncated SVD: B = U·S, A = Vᵀ.
 * Returns the Frobenius error and the tail singular mass (equal up to rounding, by Eckart–Young).
 */
export function refactorise(
  kind: LoraModuleWeights['kind'],
  shape: readonly number[],
  delta: Float32Array,
  rank: number,
  fanInFanOut = false,
  seed = 0,
): { module: LoraModuleWeights; error: number; tailMass: number } {
  // The matrix B·A factorises: [out, in·kh·kw] (linear/conv), [dim, num] for embeddings (ΔW = (B·A)ᵀ).
  const transposed = kind === 'embedding' || (kind === 'linear' && fanInFanOut);
  const rows = transposed ? shape[1]! : shape[0]!;
  const cols = delta.length / rows;
  const matrix = transposed ? transpose(createMatrix(cols, rows, delta)) : createMatrix(rows, cols, delta);
  let total = 0;
  for (let i = 0; i < matrix.data.length; i++) total += matrix.data[i]! ** 2;
  const k = Math.min(rank, rows, cols);
  const svd = leadingSvd(matrix, k, seed);
  const factors = loraFactorsFromSvd(svd, k, 'left');
  const a = Float32Array.from(factors.a);
  const b = Float32Array.from(factors.b);
  let kept = 0;
  for (let c = 0; c < k; c++) kept += svd.s[c]! ** 2;
  let error = 0;
  for (let o = 0; o < rows; o++) {
    for (let j = 0; j < cols; j++) {
      let value = 0;
      for (let c = 0; c < k; c++) value += b[o * k + c]! * a[c * cols + j]!;
      error += (matrix.data[o * cols + j]! - value) ** 2;
    }
  }
  const aShape = kind === 'conv2d' ? [k, shape[1]!, shape[2]!, shape[3]!] : [k, cols];
  const bShape = kind === 'conv2d' ? [rows, k, 1, 1] : [rows, k];
  return {
    module: { kind, loraA: floatTensor(aShape, a), loraB: floatTensor(bShape, b) },
    error: Math.sqrt(error),
    tailMass: Math.sqrt(Math.max(0, total - kept)),
  };
}
