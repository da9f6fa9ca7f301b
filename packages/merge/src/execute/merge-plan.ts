import { layerIndexOf, withLayerIndex } from '../config/layer-index.js';
import type { MergeConfig, RawParameters } from '../config/merge-config-schema.js';
import { evaluateParameters } from '../config/parameter-value.js';
import { mergeError } from '../errors.js';
import {
  type MergeMethodDefinition,
  mergeMethod,
  type ParameterValue,
  type Preset,
} from '../methods/merge-methods.js';
import { resolveMethodParameters } from '../methods/resolve-parameters.js';
import type { CheckpointHeaders, HeaderTensorInfo } from './checkpoint-headers.js';

/** One tensor read for a planned output tensor. */
export interface PlannedInput {
  /** Index into `MergePlan.checkpoints`. */
  readonly checkpoint: number;
  readonly tensor: string;
}

/** One output tensor: what to read, how to merge it, what to write. */
export interface PlannedTensor {
  readonly name: string;
  /** Output shape; dim 0 may be smaller than an input's (vocabulary truncation). */
  readonly shape: readonly number[];
  readonly outDtype: string;
  /** `copy`: non-float tensors (and passthrough) are copied from `models[0]`. */
  readonly kind: 'merge' | 'copy';
  readonly base?: PlannedInput;
  readonly models: readonly PlannedInput[];
  readonly global: Readonly<Record<string, ParameterValue>>;
  readonly perModel: readonly Readonly<Record<string, ParameterValue>>[];
  readonly rowLocal: boolean;
  readonly readBytes: number;
  readonly writeBytes: number;
}

export interface MergePlan {
  readonly method: MergeMethodDefinition['name'];
  readonly preset: Preset;
  /** Every input checkpoint path, base first when there is one. */
  readonly checkpoints: readonly string[];
  readonly baseCheckpoint?: number;
  readonly tensors: readonly PlannedTensor[];
  readonly readBytes: number;
  readonly writeBytes: number;
  /** Output layer count for slice configs (config.json `num_hidden_layers`). */
  readonly outputLayers?: number;
  readonly warnings: readonly string[];
}

const FLOAT_DTYPES = new Set(['F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2']);
const ENCODABLE = new Set(['F64', 'F32', 'F16', 'BF16']);
const ITEM_SIZE: Readonly<Record<string, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2 };
const VOCAB_PATTERN = /(embed|lm_head|wte|word_embeddings|output\.weight$)/;

/** mergekit / safetensors dtype names → safetensors dtype. */
export function configDtype(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  if (lower === 'float32' || lower === 'fp32' || lower === 'f32') return 'F32';
  if (lower === 'float16' || lower === 'fp16' || lower === 'half' || lower === 'f16') return 'F16';
  if (lower === 'bfloat16' || lower === 'bf16') return 'BF16';
  throw mergeError(
    'E_CONFIG',
    `dtype '${name}' is not supported; allowed: float32, float16, bfloat16 (or F32, F16, BF16)`,
  );
}

function rowBytes(shape: readonly number[], dtype: string): number {
  let n = ITEM_SIZE[dtype] ?? 4;
  for (let d = 1; d < shape.length; d++) n *= shape[d]!;
  return n;
}

function bytesOf(shape: readonly number[], dtype: string, rows = shape[0]): number {
  return shape.length === 0 ? (ITEM_SIZE[dtype] ?? 4) : rowBytes(shape, dtype) * (rows ?? 1);
}

interface Group {
  /** Checkpoint of the base input, if the method uses one. */
  readonly base?: number;
  /** Checkpoints of the other inputs, with their raw per-model parameters and where they came from. */
  readonly models: readonly { checkpoint: number; parameters: RawParameters | undefined; where: string }[];
}

export interface PlanOptions {
  /** Overrides config out_dtype / dtype. */
  readonly outDtype?: string;
}

/**
 * Checks every header and builds the per-tensor plan before any tensor data is read: missing tensors,
 * shape and dtype mismatches, layer ranges, vocabulary sizes and all parameter values are validated here.
 * `checkpoints[i]` must be the opened headers of `checkpointPaths(config)[i]`.
 */
export function planMerge(
  config: MergeConfig,
  checkpoints: readonly CheckpointHeaders[],
  options: PlanOptions = {},
): MergePlan {
  const method = mergeMethod(config.merge_method);
  const preset: Preset = config.preset ?? 'mergekit';
  const paths = checkpointPaths(config);
  const indexOf = (path: string) => paths.indexOf(path);
  const outDtypeOverride =
    configDtype(options.outDtype) ?? configDtype(config.out_dtype) ?? configDtype(config.dtype);
  const warnings: string[] = [];
  const tensors: PlannedTensor[] = [];
  const usesBase = method.baseModel !== 'ignored';

  const makeGroup = (
    entries: readonly { model: string; parameters?: RawParameters | undefined; where: string }[],
    baseModel: string | undefined,
  ): Group => {
    if (method.baseModel === 'required' && baseModel === undefined) {
      throw mergeError('E_CONFIG', `merge_method ${method.name} needs base_model`);
    }
    const base = usesBase && baseModel !== undefined ? indexOf(baseModel) : undefined;
    const models = entries
      .filter((e) => !(usesBase && baseModel !== undefined && e.model === baseModel))
      .map((e) => ({ checkpoint: indexOf(e.model), parameters: e.parameters, where: e.where }));
    if (models.length < method.minModels || models.length > method.maxModels) {
      const range =
        method.maxModels === method.minModels
          ? `exactly ${method.minModels}`
          : method.maxModels === Number.POSITIVE_INFINITY
            ? `at least ${method.minModels}`
            : `${method.minModels} to ${method.maxModels}`;
      throw mergeError(
        'E_CONFIG',
        `merge_method ${method.name} needs ${range} model(s) besides ${usesBase ? 'base_model' : 'nothing else'}, got ${models.length}`,
      );
    }
    return { ...(base !== undefined ? { base } : {}), models };
  };

  const addTensor = (
    outName: string,
    group: Group,
    inputNames: { base?: string; models: readonly string[] },
    t: number,
    extraGlobal: RawParameters | undefined,
  ) => {
    const baseInput =
      group.base !== undefined ? { checkpoint: group.base, tensor: inputNames.base ?? outName } : undefined;
    const modelInputs = group.models.map((m, i) => ({
      checkpoint: m.checkpoint,
      tensor: inputNames.models[i] ?? outName,
    }));
    const all = [...(baseInput ? [baseInput] : []), ...modelInputs];
    const infos: HeaderTensorInfo[] = all.map((input) => {
      const checkpoint = checkpoints[input.checkpoint]!;
      if (!checkpoint.has(input.tensor)) {
        throw mergeError(
          'E_CHECKPOINT',
          `tensor '${input.tensor}' is missing from ${checkpoint.path} (needed for output tensor '${outName}')`,
        );
      }
      return checkpoint.info(input.tensor);
    });
    const reference = infos[0]!;
    const isFloat = infos.every((info) => FLOAT_DTYPES.has(info.dtype));
    if (!isFloat) {
      // Integer/bool buffers (e.g. position ids) are not merged: copy the reference input.
      if (
        infos.some((info) => info.dtype !== reference.dtype || info.shape.join() !== reference.shape.join())
      ) {
        throw mergeError(
          'E_SHAPE_MISMATCH',
          `non-float tensor '${outName}' differs between inputs; it cannot be merged`,
        );
      }
      tensors.push({
        name: outName,
        shape: reference.shape,
        outDtype: reference.dtype,
        kind: 'copy',
        models: [all[0]!],
        global: {},
        perModel: [],
        rowLocal: true,
        readBytes: reference.byteLength,
        writeBytes: reference.byteLength,
      });
      return;
    }
    let shape = [...reference.shape];
    const sameShape = infos.every((info) => info.shape.join() === reference.shape.join());
    if (!sameShape) {
      const tails = infos.every(
        (info) =>
          info.shape.length === reference.shape.length &&
          info.shape.slice(1).join() === reference.shape.slice(1).join(),
      );
      if (!tails || reference.shape.length === 0 || !VOCAB_PATTERN.test(outName)) {
        const detail = all
          .map((input, i) => `${checkpoints[input.checkpoint]!.path}: [${infos[i]!.shape.join(', ')}]`)
          .join('; ');
        throw mergeError(
          'E_SHAPE_MISMATCH',
          `tensor '${outName}' has different shapes in the inputs (${detail}); they cannot be merged`,
        );
      }
      const rows = infos.map((info) => info.shape[0]!);
      if (method.vocabulary === 'base' && baseInput) {
        const baseRows = rows[0]!;
        const smaller = rows.findIndex((r) => r < baseRows);
        if (smaller >= 0) {
          throw mergeError(
            'E_SHAPE_MISMATCH',
            `tensor '${outName}': ${checkpoints[all[smaller]!.checkpoint]!.path} has ${rows[smaller]} rows but the base has ${baseRows}; ` +
              `merge_method ${method.name} slices embeddings to the base vocabulary and cannot extend a smaller one`,
          );
        }
        shape[0] = baseRows;
      } else shape[0] = Math.min(...rows);
      warnings.push(
        `tensor '${outName}': vocabulary sizes differ (${rows.join(', ')}); using the first ${shape[0]} rows`,
      );
    }
    shape = shape.slice();
    const global = {
      ...evaluateParameters(config.parameters, outName, t),
      ...evaluateParameters(extraGlobal, outName, t),
    };
    const perModel = group.models.map((m) => evaluateParameters(m.parameters, outName, t));
    const resolved = resolveMethodParameters(method, preset, global, perModel, {
      models: group.models.map((m) => m.where),
    });
    const storedDtype = ENCODABLE.has(reference.dtype) ? reference.dtype : 'F32';
    const outDtype = outDtypeOverride ?? storedDtype;
    const readBytes = infos.reduce((sum, info) => sum + bytesOf(info.shape, info.dtype, shape[0]), 0);
    const copy =
      method.name === 'passthrough' &&
      resolved.perModel[0]!.scale === 1 &&
      outDtype === infos[0]!.dtype &&
      sameShape;
    tensors.push({
      name: outName,
      shape,
      outDtype,
      kind: copy ? 'copy' : 'merge',
      ...(baseInput ? { base: baseInput } : {}),
      models: modelInputs,
      global: resolved.global,
      perModel: resolved.perModel,
      rowLocal: shape.length >= 2 && method.rowLocal(resolved.global),
      readBytes,
      writeBytes: bytesOf(shape, outDtype),
    });
  };

  let outputLayers: number | undefined;
  if (config.models) {
    const group = makeGroup(
      config.models.map((m, i) => ({
        model: m.model,
        parameters: m.parameters,
        where: `models[${i}].parameters`,
      })),
      config.base_model,
    );
    const referenceIndex = group.base ?? group.models[0]!.checkpoint;
    const reference = checkpoints[referenceIndex]!;
    const layerCount = countLayers(reference);
    for (const other of [
      ...(group.base !== undefined ? [group.base] : []),
      ...group.models.map((m) => m.checkpoint),
    ]) {
      const count = countLayers(checkpoints[other]!);
      if (count !== layerCount) {
        throw mergeError(
          'E_CHECKPOINT',
          `${checkpoints[other]!.path} has ${count} layers but ${reference.path} has ${layerCount}; use slices: with layer_range to merge different depths`,
        );
      }
    }
    for (const info of reference.tensors) {
      const layer = layerIndexOf(info.name);
      const t = layer === undefined ? 0 : layerCount > 1 ? layer / (layerCount - 1) : 1;
      addTensor(info.name, group, { models: [] }, t, undefined);
    }
  } else {
    const slices = config.slices!;
    let offset = 0;
    let nonLayerGroup: { group: Group; names: { base?: string; models: string[] } } | undefined;
    slices.forEach((slice, s) => {
      const baseModel = slice.base_model ?? config.base_model;
      const lengths = slice.sources.map((source) => source.layer_range[1] - source.layer_range[0]);
      if (lengths.some((l) => l !== lengths[0])) {
        throw mergeError(
          'E_CONFIG',
          `slices[${s}]: every source needs a layer_range of the same length, got ${lengths.join(', ')}`,
        );
      }
      const length = lengths[0]!;
      for (const [i, source] of slice.sources.entries()) {
        const checkpoint = checkpoints[indexOf(source.model)]!;
        const available = countLayers(checkpoint);
        if (source.layer_range[1] > available) {
          throw mergeError(
            'E_CONFIG',
            `slices[${s}].sources[${i}].layer_range [${source.layer_range.join(', ')}] exceeds the ${available} layers of ${checkpoint.path}`,
          );
        }
      }
      const entries = slice.sources.map((source, i) => ({
        model: source.model,
        parameters: source.parameters,
        where: `slices[${s}].sources[${i}].parameters`,
      }));
      const group = makeGroup(entries, baseModel);
      const sourceOf = (checkpoint: number) =>
        slice.sources.find((source) => indexOf(source.model) === checkpoint);
      const firstSource = slice.sources[0]!;
      const referenceIndex = group.base ?? group.models[0]!.checkpoint;
      const reference = checkpoints[referenceIndex]!;
      const referenceStart = (sourceOf(referenceIndex) ?? firstSource).layer_range[0];
      for (let j = 0; j < length; j++) {
        const t = length > 1 ? j / (length - 1) : 1;
        for (const info of reference.tensors) {
          if (layerIndexOf(info.name) !== referenceStart + j) continue;
          const outName = withLayerIndex(info.name, offset + j);
          const startOf = (checkpoint: number) => (sourceOf(checkpoint) ?? firstSource).layer_range[0] + j;
          addTensor(
            outName,
            group,
            {
              ...(group.base !== undefined ? { base: withLayerIndex(info.name, startOf(group.base)) } : {}),
              models: group.models.map((m) => withLayerIndex(info.name, startOf(m.checkpoint))),
            },
            t,
            slice.parameters,
          );
        }
      }
      if (s === 0) nonLayerGroup = { group, names: { models: [] } };
      offset += length;
    });
    outputLayers = offset;
    // Embeddings, final norm and head come from the first slice's inputs, evaluated at t = 0 (mergekit).
    const first = nonLayerGroup!;
    const reference = checkpoints[first.group.base ?? first.group.models[0]!.checkpoint]!;
    for (const info of reference.tensors) {
      if (layerIndexOf(info.name) !== undefined) continue;
      addTensor(info.name, first.group, first.names, 0, slices[0]!.parameters);
    }
    tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const names = new Set<string>();
  for (const tensor of tensors) {
    if (names.has(tensor.name))
      throw mergeError(
        'E_CONFIG',
        `output tensor '${tensor.name}' is produced twice; check the slices' layer ranges`,
      );
    names.add(tensor.name);
  }
  return {
    method: method.name,
    preset,
    checkpoints: paths,
    ...(usesBase && config.base_model !== undefined ? { baseCheckpoint: indexOf(config.base_model) } : {}),
    tensors,
    readBytes: tensors.reduce((s, t) => s + t.readBytes, 0),
    writeBytes: tensors.reduce((s, t) => s + t.writeBytes, 0),
    ...(outputLayers !== undefined ? { outputLayers } : {}),
    warnings,
  };
}

/** Number of layers: 1 + the largest layer index among the tensor names (0 when none). */
export function countLayers(checkpoint: CheckpointHeaders): number {
  let max = -1;
  for (const info of checkpoint.tensors) {
    const layer = layerIndexOf(info.name);
    if (layer !== undefined && layer > max) max = layer;
  }
  return max + 1;
}

/** Every distinct checkpoint path of a config, base_model first (left out when the method ignores it). */
export function checkpointPaths(config: MergeConfig): string[] {
  const paths: string[] = [];
  const add = (path: string | undefined) => {
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  };
  if (mergeMethod(config.merge_method).baseModel !== 'ignored') add(config.base_model);
  for (const model of config.models ?? []) add(model.model);
  for (const slice of config.slices ?? []) {
    add(slice.base_model);
    for (const source of slice.sources) add(source.model);
  }
  return paths;
}
