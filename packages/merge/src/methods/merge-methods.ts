import { pcbMergeTensor } from '../beyond/pcb-merge.js';
import { mergeError } from '../errors.js';
import { karcherMerge } from './karcher-merge.js';
import { linearMerge } from './linear-merge.js';
import { linearMergeBf16 } from './linear-merge-bf16.js';
import { modelStockMerge } from './model-stock-merge.js';
import { multislerpMerge } from './multislerp-merge.js';
import { nearswapMerge } from './nearswap-merge.js';
import { nuslerpMerge } from './nuslerp-merge.js';
import { sceMerge } from './sce-merge.js';
import { slerpMerge } from './slerp-merge.js';
import { RESCALES, type Rescale, type Sparsification } from './sparsify.js';
import {
  type TaskVectorMergeOptions,
  type TaskVectorModelParameters,
  taskVectorMerge,
  taskVectorMergeIsRowLocal,
} from './task-vector-merge.js';
import { taskVectorBf16InputSlots, taskVectorMergeBf16 } from './task-vector-merge-bf16.js';
import type { TensorContext } from './tensor-context.js';

export const MERGE_METHODS = [
  'linear',
  'slerp',
  'nuslerp',
  'multislerp',
  'karcher',
  'task_arithmetic',
  'ties',
  'dare_linear',
  'dare_ties',
  'breadcrumbs',
  'breadcrumbs_ties',
  'della',
  'della_linear',
  'model_stock',
  'nearswap',
  'sce',
  'passthrough',
  // modelsmith extensions
  'pcb',
] as const;
export type MergeMethodName = (typeof MERGE_METHODS)[number];

export const PRESETS = ['mergekit', 'paper'] as const;
export type Preset = (typeof PRESETS)[number];

/** A resolved parameter value for one tensor. */
export type ParameterValue = number | boolean | string;

/** One parameter a method accepts: its kind, its default (absent = required) and allowed strings. */
export interface ParameterDefinition {
  readonly kind: 'number' | 'boolean' | 'string';
  readonly default?: ParameterValue;
  readonly allowed?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export interface MethodInput {
  readonly base?: Float32Array;
  /** The models other than the base, in config order. */
  readonly models: readonly Float32Array[];
  readonly global: Readonly<Record<string, ParameterValue>>;
  readonly perModel: readonly Readonly<Record<string, ParameterValue>>[];
  /** The caller owns `models` and allows the method to overwrite them (saves one copy per model). */
  readonly scratchModels?: boolean;
  /** A buffer of the result's length (any contents) the method may fill and return instead of allocating. */
  readonly output?: Float32Array;
  /** The method sets `finite` to true when it has already checked every result value finite. */
  readonly verified?: { finite?: boolean };
}

export interface MergeMethodDefinition {
  readonly name: MergeMethodName;
  /** `required`: base_model must be set; `optional`: used when set; `ignored`: never read. */
  readonly baseModel: 'required' | 'optional' | 'ignored';
  readonly minModels: number;
  readonly maxModels: number;
  readonly globalParameters: Readonly<Record<string, ParameterDefinition>>;
  readonly modelParameters: Readonly<Record<string, ParameterDefinition>>;
  /** Embedding-size mismatch rule (mergekit): `common` top-left sub-matrix, or slice to the `base` shape. */
  readonly vocabulary: 'common' | 'base';
  /** Whether the result for a block of whole rows depends only on those rows (then it can run row-chunked). */
  rowLocal(global: Readonly<Record<string, ParameterValue>>): boolean;
  /** Global-parameter overrides of the `paper` preset. */
  readonly paperPreset?: Readonly<Record<string, ParameterValue>>;
  merge(input: MethodInput, context: TensorContext): Float32Array;
  /**
   * Optional fast path from BF16 inputs straight to a BF16 result with the same bits as decoding,
   * `merge` and encoding; undefined when it does not apply (the caller then takes `merge`).
   */
  mergeBf16?(input: Bf16MethodInput, context: TensorContext): Uint16Array | undefined;
  /** Where `mergeBf16` can merge inputs without copying them: read BF16 inputs into these slots. */
  readonly bf16InputSlots?: Bf16InputSlots;
}

/** Two sets of input buffers a fast path merges in place (a streaming merge alternates between them). */
export interface Bf16InputSlots {
  /**
   * Room for `inputs` inputs of up to `maxElements` values per set, for one merge at a time:
   * undefined if it cannot be had (too large, or another merge holds it).
   */
  acquire(maxElements: number, inputs: number): Bf16SlotLease | undefined;
}

export interface Bf16SlotLease {
  /** Byte views of set `set`'s first `inputs` slots, `elements` values each. */
  slots(set: number, elements: number, inputs: number): Uint8Array[];
  release(): void;
}

/** `MethodInput` with the raw BF16 bits of every input. */
export interface Bf16MethodInput {
  readonly base?: Uint16Array;
  readonly models: readonly Uint16Array[];
  /** A buffer of the result's length the method may fill and return instead of allocating. */
  readonly output?: Uint16Array;
  readonly global: Readonly<Record<string, ParameterValue>>;
  readonly perModel: readonly Readonly<Record<string, ParameterValue>>[];
}

const num = (value: ParameterValue | undefined): number => value as number;
const bool = (value: ParameterValue | undefined): boolean => value as boolean;

const weight: ParameterDefinition = { kind: 'number' };
const density: ParameterDefinition = { kind: 'number', default: 1, min: 0, max: 1 };

/** Our named knobs for the semantic differences (spec §8); defaults = mergekit. */
const taskVectorKnobs = {
  lambda: { kind: 'number', default: 1 },
  int8_mask: { kind: 'boolean', default: false },
  trim_scope: { kind: 'string', default: 'tensor', allowed: ['tensor', 'row', 'model'] },
  topk_ties: { kind: 'string', default: 'exact', allowed: ['exact', 'keep_ties'] },
  rescale_mode: { kind: 'string', default: 'l1_norm', allowed: RESCALES.filter((r) => r !== 'none') },
  darex_q: { kind: 'number', default: 0, min: 0 },
} as const satisfies Record<string, ParameterDefinition>;

const consensusKnobs = {
  election_input: { kind: 'string', default: 'weighted', allowed: ['weighted', 'unweighted'] },
  consensus_method: { kind: 'string', default: 'sum', allowed: ['sum', 'count'] },
  zero_sign: { kind: 'string', default: 'positive', allowed: ['positive', 'negative', 'majority'] },
  disjoint_divisor: { kind: 'string', default: 'weight', allowed: ['weight', 'count'] },
} as const satisfies Record<string, ParameterDefinition>;

function taskVectorOptions(
  sparsification: Sparsification,
  consensus: boolean,
  global: Readonly<Record<string, ParameterValue>>,
): TaskVectorMergeOptions {
  const darexQ = num(global.darex_q);
  const rescale: Rescale = bool(global.rescale) ? (global.rescale_mode as Rescale) : 'none';
  return {
    method: sparsification,
    rescale: darexQ > 0 && bool(global.rescale) ? 'darex_q' : rescale,
    ...(darexQ > 0 ? { darexQ } : {}),
    trimScope: global.trim_scope as 'tensor' | 'row' | 'model',
    topKTies: global.topk_ties as 'exact' | 'keep_ties',
    consensus: consensus ? (global.consensus_method as 'sum' | 'count') : 'none',
    electionInput: (global.election_input ?? 'weighted') as 'weighted' | 'unweighted',
    zeroSign: (global.zero_sign ?? 'positive') as 'positive' | 'negative' | 'majority',
    normalize: bool(global.normalize),
    divisor: (global.disjoint_divisor ?? 'weight') as 'weight' | 'count',
    lambda: num(global.lambda),
  };
}

function taskVectorMethod(
  name: MergeMethodName,
  sparsification: Sparsification,
  consensus: boolean,
  defaults: { normalize: boolean; rescale: boolean },
  extraModelParameters: Record<string, ParameterDefinition>,
  paperPreset: Record<string, ParameterValue>,
): MergeMethodDefinition {
  return {
    name,
    baseModel: 'required',
    minModels: 1,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'base',
    globalParameters: {
      normalize: { kind: 'boolean', default: defaults.normalize },
      rescale: { kind: 'boolean', default: defaults.rescale },
      ...taskVectorKnobs,
      ...(consensus ? consensusKnobs : {}),
    },
    modelParameters: { weight, density, ...extraModelParameters },
    paperPreset,
    rowLocal: (global) => taskVectorMergeIsRowLocal(taskVectorOptions(sparsification, consensus, global)),
    merge(input, context) {
      const options = taskVectorOptions(sparsification, consensus, input.global);
      return taskVectorMerge(
        requireBase(input, context),
        input.models,
        taskVectorParameters(input.perModel),
        options,
        context,
        {
          reuseModels: input.scratchModels === true,
          ...(input.output ? { output: input.output } : {}),
          ...(input.verified ? { verified: input.verified } : {}),
        },
      );
    },
    bf16InputSlots: taskVectorBf16InputSlots,
    mergeBf16(input, context) {
      if (!input.base) return undefined;
      const options = taskVectorOptions(sparsification, consensus, input.global);
      return taskVectorMergeBf16(
        input.base,
        input.models,
        taskVectorParameters(input.perModel),
        options,
        context,
        input.output,
      );
    },
  };
}

function taskVectorParameters(
  perModel: readonly Readonly<Record<string, ParameterValue>>[],
): TaskVectorModelParameters[] {
  return perModel.map((p) => ({
    weight: num(p.weight),
    density: num(p.density),
    ...(p.gamma !== undefined ? { gamma: num(p.gamma) } : {}),
    ...(p.epsilon !== undefined ? { epsilon: num(p.epsilon) } : {}),
  }));
}

function requireBase(input: MethodInput, context: TensorContext): Float32Array {
  if (!input.base) throw mergeError('E_CONFIG', `tensor '${context.name}': this method needs base_model`);
  return input.base;
}

/** TIES paper (official code): unweighted election, majority fallback for ties, mean over agreeing models, top-k keeps ties. */
const tiesPaper = {
  election_input: 'unweighted',
  zero_sign: 'majority',
  disjoint_divisor: 'count',
  topk_ties: 'keep_ties',
  normalize: true,
} as const;
const darePaper = { rescale: true, rescale_mode: 'inverse_keep_probability' } as const;

const definitions: readonly MergeMethodDefinition[] = [
  {
    name: 'linear',
    baseModel: 'ignored',
    minModels: 1,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'common',
    globalParameters: { normalize: { kind: 'boolean', default: true } },
    modelParameters: { weight },
    rowLocal: () => true,
    merge: (input, context) =>
      linearMerge(
        input.models,
        input.perModel.map((p) => num(p.weight)),
        { normalize: bool(input.global.normalize) },
        context,
      ),
    mergeBf16: (input, context) =>
      linearMergeBf16(
        input.models,
        input.perModel.map((p) => num(p.weight)),
        { normalize: bool(input.global.normalize) },
        context,
        input.output,
      ),
  },
  {
    name: 'slerp',
    baseModel: 'required',
    minModels: 1,
    maxModels: 1,
    vocabulary: 'common',
    globalParameters: { t: { kind: 'number' } },
    modelParameters: {},
    rowLocal: () => false,
    merge: (input, context) => slerpMerge(requireBase(input, context), input.models[0]!, num(input.global.t)),
  },
  {
    name: 'nuslerp',
    baseModel: 'optional',
    minModels: 2,
    maxModels: 2,
    vocabulary: 'common',
    globalParameters: {
      nuslerp_flatten: { kind: 'boolean', default: true },
      nuslerp_row_wise: { kind: 'boolean', default: false },
    },
    modelParameters: { weight },
    rowLocal: () => false,
    merge: (input, context) =>
      nuslerpMerge(
        input.models[0]!,
        input.models[1]!,
        [num(input.perModel[0]!.weight), num(input.perModel[1]!.weight)],
        input.base,
        { flatten: bool(input.global.nuslerp_flatten), rowWise: bool(input.global.nuslerp_row_wise) },
        context,
      ),
  },
  {
    name: 'multislerp',
    baseModel: 'optional',
    minModels: 2,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'common',
    globalParameters: {
      normalize_weights: { kind: 'boolean', default: true },
      eps: { kind: 'number', default: 1e-8, min: 0 },
    },
    modelParameters: { weight },
    rowLocal: () => false,
    merge: (input, context) =>
      multislerpMerge(
        input.models,
        input.perModel.map((p) => num(p.weight)),
        input.base,
        { normalizeWeights: bool(input.global.normalize_weights), eps: num(input.global.eps) },
        context,
      ),
  },
  {
    name: 'karcher',
    baseModel: 'ignored',
    minModels: 2,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'common',
    globalParameters: {
      max_iter: { kind: 'number', default: 10, min: 0 },
      tol: { kind: 'number', default: 1e-5, min: 0 },
    },
    modelParameters: {},
    rowLocal: () => false,
    merge: (input) =>
      karcherMerge(input.models, { maxIter: num(input.global.max_iter), tol: num(input.global.tol) }),
  },
  taskVectorMethod('task_arithmetic', 'none', false, { normalize: false, rescale: false }, {}, {}),
  // The TIES paper trims each task vector over the whole flattened model.
  taskVectorMethod(
    'ties',
    'magnitude',
    true,
    { normalize: true, rescale: false },
    {},
    { ...tiesPaper, trim_scope: 'model' },
  ),
  taskVectorMethod('dare_linear', 'random', false, { normalize: false, rescale: true }, {}, darePaper),
  taskVectorMethod(
    'dare_ties',
    'random',
    true,
    { normalize: false, rescale: true },
    {},
    { ...tiesPaper, ...darePaper },
  ),
  taskVectorMethod(
    'breadcrumbs',
    'magnitude_outliers',
    false,
    { normalize: false, rescale: false },
    { gamma: { kind: 'number', default: 0.01, min: 0, max: 1 } },
    { trim_scope: 'row' },
  ),
  taskVectorMethod(
    'breadcrumbs_ties',
    'magnitude_outliers',
    true,
    { normalize: false, rescale: false },
    { gamma: { kind: 'number', default: 0.01, min: 0, max: 1 } },
    { ...tiesPaper, trim_scope: 'row' },
  ),
  taskVectorMethod(
    'della',
    'della_magprune',
    true,
    { normalize: true, rescale: true },
    { epsilon: { kind: 'number', min: 0, max: 0.5 } },
    { ...tiesPaper, ...darePaper },
  ),
  taskVectorMethod(
    'della_linear',
    'della_magprune',
    false,
    { normalize: false, rescale: true },
    { epsilon: { kind: 'number', min: 0, max: 0.5 } },
    darePaper,
  ),
  {
    name: 'model_stock',
    baseModel: 'required',
    minModels: 2,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'common',
    globalParameters: {
      filter_wise: { kind: 'boolean', default: false },
      pairwise_similarity: { kind: 'string', default: 'cosine', allowed: ['cosine', 'angle'] },
    },
    modelParameters: {},
    rowLocal: (global) => bool(global.filter_wise),
    merge: (input, context) =>
      modelStockMerge(
        requireBase(input, context),
        input.models,
        {
          filterWise: bool(input.global.filter_wise),
          pairwise: input.global.pairwise_similarity as 'cosine' | 'angle',
        },
        context,
      ),
  },
  {
    name: 'nearswap',
    baseModel: 'required',
    minModels: 1,
    maxModels: 1,
    vocabulary: 'common',
    globalParameters: { t: { kind: 'number', min: 0 } },
    modelParameters: {},
    rowLocal: () => true,
    merge: (input, context) =>
      nearswapMerge(requireBase(input, context), input.models[0]!, num(input.global.t)),
  },
  {
    name: 'sce',
    baseModel: 'required',
    minModels: 1,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'base',
    globalParameters: {
      select_topk: { kind: 'number', default: 1, min: 0, max: 1 },
      int8_mask: { kind: 'boolean', default: false },
    },
    modelParameters: {},
    rowLocal: () => false,
    merge: (input, context) =>
      sceMerge(requireBase(input, context), input.models, { selectTopK: num(input.global.select_topk) }),
  },
  {
    name: 'passthrough',
    baseModel: 'ignored',
    minModels: 1,
    maxModels: 1,
    vocabulary: 'common',
    globalParameters: {},
    modelParameters: { scale: { kind: 'number', default: 1 } },
    rowLocal: () => true,
    merge: (input) => {
      const source = input.models[0]!;
      const factor = num(input.perModel[0]!.scale);
      if (factor === 1) return Float32Array.from(source);
      return source.map((x) => x * factor);
    },
  },
  {
    name: 'pcb',
    baseModel: 'required',
    minModels: 1,
    maxModels: Number.POSITIVE_INFINITY,
    vocabulary: 'base',
    globalParameters: {
      pcb_ratio: { kind: 'number', default: 0.1, min: 0, max: 1 },
      lambda: { kind: 'number', default: 1 },
    },
    modelParameters: {},
    rowLocal: () => false,
    merge: (input, context) =>
      pcbMergeTensor(
        requireBase(input, context),
        input.models,
        { ratio: num(input.global.pcb_ratio), lambda: num(input.global.lambda) },
        { reuseModels: input.scratchModels === true },
      ),
  },
];

const byName = new Map(definitions.map((d) => [d.name, d]));

/** The definition of a mergekit method name. */
export function mergeMethod(name: MergeMethodName): MergeMethodDefinition {
  const definition = byName.get(name);
  if (!definition)
    throw mergeError('E_CONFIG', `unknown merge_method '${name}'; allowed: ${MERGE_METHODS.join(', ')}`);
  return definition;
}
