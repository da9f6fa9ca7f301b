import { copyFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type Checkpoint,
  createCheckpointWriter,
  type DType,
  fromFloat32,
  openCheckpoint,
  type ProgressCallback,
  parseOptions,
  type Tensor,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import type { MergeConfig } from '../config/merge-config-schema.js';
import { mergeError, PACKAGE_NAME } from '../errors.js';
import { allFinite } from '../kernels/weighted-sum.js';
import { type Bf16SlotLease, mergeMethod } from '../methods/merge-methods.js';
import type { ModelTrim, TensorContext } from '../methods/tensor-context.js';
import { Float32Pool } from './buffer-pool.js';
import {
  checkpointPaths,
  type MergePlan,
  type PlannedInput,
  type PlannedTensor,
  planMerge,
} from './merge-plan.js';
import { modelTrimStatistics } from './model-trim-statistics.js';

export interface MergeCheckpointsOptions {
  /** Output directory; existing model files are not replaced unless `force`. */
  readonly outputDirectory: string;
  /** Seed of every random mask (DARE, DELLA); default 0. Same seed → same bytes. */
  readonly seed?: number;
  /** Largest output shard in bytes (default 5e9). */
  readonly maxShardBytes?: number;
  /** Output dtype (`bf16`, `float16`, `F32`, …); overrides the config's out_dtype/dtype. */
  readonly outDtype?: string;
  readonly force?: boolean;
  readonly onProgress?: ProgressCallback;
  /** Target elements per input per row chunk for row-local methods (default 4 Mi). */
  readonly chunkElements?: number;
  readonly signal?: AbortSignal;
}

const optionsSchema = z.strictObject({
  outputDirectory: z.string().min(1),
  seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  maxShardBytes: z.int().positive().optional(),
  outDtype: z.string().optional(),
  force: z.boolean().optional(),
  onProgress: z.custom<ProgressCallback>((v) => typeof v === 'function').optional(),
  chunkElements: z.int().positive().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
});

export interface MergeResult {
  readonly plan: MergePlan;
  readonly files: readonly string[];
  readonly totalSize: number;
  /** Side files copied from the base (or first) model, e.g. config.json, tokenizer.json. */
  readonly copiedFiles: readonly string[];
}

/** Files copied from the base model directory when present. */
export const SIDE_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'tokenizer.model',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.json',
  'merges.txt',
] as const;

async function openAll(paths: readonly string[]): Promise<Checkpoint[]> {
  const opened: Checkpoint[] = [];
  try {
    for (const path of paths) opened.push(await openCheckpoint(path));
    return opened;
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()));
    throw error;
  }
}

/** Opens every input's headers and builds the plan; reads no tensor data. */
export async function planMergeCheckpoints(
  config: MergeConfig,
  options: { outDtype?: string } = {},
): Promise<MergePlan> {
  const checkpoints = await openAll(checkpointPaths(config));
  try {
    return planMerge(
      config,
      checkpoints,
      options.outDtype !== undefined ? { outDtype: options.outDtype } : {},
    );
  } finally {
    await Promise.all(checkpoints.map((c) => c.close()));
  }
}

/**
 * Merges checkpoints as described by a parsed mergekit recipe (see `parseMergeConfig`): checks every
 * header first, then streams one output tensor at a time (row chunks for row-local methods) into an
 * atomic sharded safetensors writer. The `modelsmith merge` command is a thin wrapper around this.
 */
export async function mergeCheckpoints(
  config: MergeConfig,
  options: MergeCheckpointsOptions,
): Promise<MergeResult> {
  const parsed = parseOptions(PACKAGE_NAME, 'mergeCheckpoints options', optionsSchema, options);
  const seed = parsed.seed ?? 0;
  const checkpoints = await openAll(checkpointPaths(config));
  try {
    const plan = planMerge(
      config,
      checkpoints,
      parsed.outDtype !== undefined ? { outDtype: parsed.outDtype } : {},
    );
    // Side files come from base_model when given (even for methods that ignore its weights), else the first model.
    const sideSource = sideFileDirectory(config.base_model ?? plan.checkpoints[0]!);
    const sideFiles = sideSource ? await existingSideFiles(sideSource) : [];
    if (!parsed.force) {
      for (const file of sideFiles) {
        if (await exists(join(parsed.outputDirectory, file))) {
          throw mergeError(
            'E_OUTPUT_EXISTS',
            `${join(parsed.outputDirectory, file)} already exists; pass force (--force) to overwrite`,
          );
        }
      }
    }
    // Whole-model statistics (trim_scope: model) come first: a bad setting fails before any output.
    const modelTrims = await modelTrimStatistics(plan, checkpoints);
    const writer = await createCheckpointWriter({
      directory: parsed.outputDirectory,
      specs: plan.tensors.map((t) => ({ name: t.name, dtype: t.outDtype as DType, shape: t.shape })),
      ...(parsed.maxShardBytes !== undefined ? { maxShardBytes: parsed.maxShardBytes } : {}),
      metadata: provenance(config, plan, seed),
      force: parsed.force ?? false,
    });
    let slots: ReturnType<typeof inputSlotsFor>;
    let prefetched: { index: number; raw: Promise<RawInputs> } | undefined;
    try {
      const method = mergeMethod(plan.method);
      let done = 0;
      const chunkElements = parsed.chunkElements ?? 4 * 1024 * 1024;
      // Retain at most one set of input buffers (inputs + 1 arrays of the largest tensor or chunk).
      const largest = Math.max(
        1,
        ...plan.tensors.map((t) =>
          t.rowLocal ? Math.min(chunkElements * 2, numel(t.shape)) : numel(t.shape),
        ),
      );
      const pool = new Float32Pool((plan.checkpoints.length + 1) * largest);
      const run: MergeRun = { seed, outputs: new Bf16Outputs(), ...(modelTrims ? { modelTrims } : {}) };
      slots = inputSlotsFor(method, plan, checkpoints);
      let slotSet = 0;
      /** Whole-tensor inputs, into the method's input slots when it has them for this tensor. */
      const readWhole = (tensor: PlannedTensor): Promise<RawInputs> => {
        if (slots?.eligible(tensor)) {
          slotSet ^= 1;
          return readIntoSlots(checkpoints, tensor, slots.lease, slotSet);
        }
        return readRaw(checkpoints, tensor, 0, tensor.shape[0] ?? 1);
      };
      // Whole-tensor merges read tensor k + 1 (raw bytes) while tensor k is merged; writes overlap the next merge.
      let pendingWrite: Promise<void> = Promise.resolve();
      const tensors = plan.tensors;
      for (let index = 0; index < tensors.length; index++) {
        const planned = tensors[index]!;
        if (parsed.signal?.aborted) throw mergeError('E_IO', 'merge cancelled');
        parsed.onProgress?.({ done, total: plan.writeBytes, label: planned.name });
        const rows = planned.shape[0] ?? 1;
        const rowLength = planned.shape.length === 0 ? 1 : planned.shape.slice(1).reduce((a, b) => a * b, 1);
        const rowsPerChunk = planned.rowLocal
          ? Math.max(1, Math.floor(chunkElements / Math.max(1, rowLength)))
          : rows;
        if (planned.kind === 'copy') {
          await pendingWrite;
          await copyTensor(checkpoints, planned, writer, rowsPerChunk);
        } else if (rowsPerChunk >= rows) {
          const raw = prefetched?.index === index ? await prefetched.raw : await readWhole(planned);
          prefetched = undefined;
          const next = tensors[index + 1];
          if (next && next.kind === 'merge' && !next.rowLocal) {
            prefetched = { index: index + 1, raw: settledLater(readWhole(next)) };
          }
          const merged = mergeRaw(method, planned, raw, pool, run, 0, planned.shape);
          await pendingWrite;
          pendingWrite = settledLater(writer.write(planned.name, merged));
        } else {
          // Row chunks, reading chunk k + 1 while chunk k is merged.
          let next = settledLater(readRaw(checkpoints, planned, 0, Math.min(rows, rowsPerChunk)));
          for (let start = 0; start < rows; start += rowsPerChunk) {
            const end = Math.min(rows, start + rowsPerChunk);
            const raw = await next;
            if (end < rows)
              next = settledLater(readRaw(checkpoints, planned, end, Math.min(rows, end + rowsPerChunk)));
            const shape = [end - start, ...planned.shape.slice(1)];
            const merged = mergeRaw(method, planned, raw, pool, run, start * rowLength, shape);
            await pendingWrite;
            pendingWrite = settledLater(writer.writeRows(planned.name, start, merged));
          }
        }
        done += planned.writeBytes;
      }
      await pendingWrite;
      parsed.onProgress?.({ done, total: plan.writeBytes, label: 'finishing' });
      const { files, totalSize } = await writer.finish();
      const copiedFiles = sideSource
        ? await copySideFiles(sideSource, parsed.outputDirectory, sideFiles, plan)
        : [];
      return { plan, files, totalSize, copiedFiles };
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      // A read still in flight must land before another merge may use the slots.
      await prefetched?.raw.catch(() => undefined);
      slots?.lease.release();
    }
  } finally {
    await Promise.all(checkpoints.map((c) => c.close()));
  }
}

/** What every tensor of one merge shares. */
interface MergeRun {
  readonly seed: number;
  readonly outputs: Bf16Outputs;
  readonly modelTrims?: readonly (ModelTrim | undefined)[];
}

/**
 * A promise awaited later (a read ahead, a write behind): marked handled now, so a failure while the
 * loop awaits something else is not an unhandled rejection; awaiting it still throws.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

interface Inputs {
  readonly base?: Float32Array;
  readonly models: Float32Array[];
}

interface RawInputs {
  readonly base?: Tensor;
  readonly models: Tensor[];
}

async function readOne(
  checkpoints: readonly Checkpoint[],
  input: PlannedInput,
  planned: PlannedTensor,
  start: number,
  end: number,
): Promise<Tensor> {
  const checkpoint = checkpoints[input.checkpoint]!;
  const info = checkpoint.info(input.tensor);
  const whole = planned.shape.length === 0 || (start === 0 && end === info.shape[0]);
  return whole ? checkpoint.read(input.tensor) : checkpoint.readRows(input.tensor, start, end);
}

async function readRaw(
  checkpoints: readonly Checkpoint[],
  planned: PlannedTensor,
  start: number,
  end: number,
): Promise<RawInputs> {
  const [base, ...models] = await Promise.all([
    planned.base ? readOne(checkpoints, planned.base, planned, start, end) : Promise.resolve(undefined),
    ...planned.models.map((input) => readOne(checkpoints, input, planned, start, end)),
  ]);
  return { ...(base ? { base } : {}), models: models as Tensor[] };
}

/**
 * The method's BF16 input slots, if it has them and they can hold this plan's whole-tensor BF16 merges
 * (output BF16, every input BF16 and read whole): `eligible` tells which tensors read into them.
 */
function inputSlotsFor(
  method: ReturnType<typeof mergeMethod>,
  plan: MergePlan,
  checkpoints: readonly Checkpoint[],
): { lease: Bf16SlotLease; eligible(tensor: PlannedTensor): boolean } | undefined {
  const slots = method.bf16InputSlots;
  if (!slots) return undefined;
  const inputsOf = (t: PlannedTensor) => (t.base ? [t.base, ...t.models] : t.models);
  const fits = (t: PlannedTensor): boolean =>
    t.kind === 'merge' &&
    !t.rowLocal &&
    t.outDtype === 'BF16' &&
    inputsOf(t).every((input) => {
      const info = checkpoints[input.checkpoint]!.info(input.tensor);
      return info.dtype === 'BF16' && numel(info.shape) === numel(t.shape);
    });
  const eligible = plan.tensors.filter(fits);
  if (eligible.length === 0) return undefined;
  const maxElements = Math.max(...eligible.map((t) => numel(t.shape)));
  const maxInputs = Math.max(...eligible.map((t) => inputsOf(t).length));
  const lease = slots.acquire(maxElements, maxInputs);
  if (!lease) return undefined;
  const chosen = new Set(eligible);
  return { lease, eligible: (tensor) => chosen.has(tensor) };
}

/** Reads every input of a whole tensor into slot set `set` (base first). */
async function readIntoSlots(
  checkpoints: readonly Checkpoint[],
  planned: PlannedTensor,
  slots: Bf16SlotLease,
  set: number,
): Promise<RawInputs> {
  const inputs = planned.base ? [planned.base, ...planned.models] : planned.models;
  const buffers = slots.slots(set, numel(planned.shape), inputs.length);
  const read = await Promise.all(
    inputs.map((input, j) => checkpoints[input.checkpoint]!.readInto(input.tensor, buffers[j]!)),
  );
  return planned.base ? { base: read[0]!, models: read.slice(1) } : { models: read };
}

/** Decodes to float32 into pooled buffers the merge owns (never a view of a buffer someone else keeps). */
function decode(raw: RawInputs, pool: Float32Pool): Inputs {
  return {
    ...(raw.base ? { base: pool.decode(raw.base) } : {}),
    models: raw.models.map((t) => pool.decode(t)),
  };
}

function recycle(inputs: Inputs, pool: Float32Pool): void {
  if (inputs.base) pool.release(inputs.base);
  for (const model of inputs.models) pool.release(model);
}

/** Merges one tensor or row chunk from its raw inputs into the output dtype. */
function mergeRaw(
  method: ReturnType<typeof mergeMethod>,
  planned: PlannedTensor,
  raw: RawInputs,
  pool: Float32Pool,
  run: MergeRun,
  offset: number,
  shape: readonly number[],
): Tensor {
  const fused = methodBf16(method, planned, raw, shape, run.seed, offset, run.outputs);
  if (fused) return fused;
  const inputs = decode(raw, pool);
  // Only dtypes that encode into a new array may hand the float32 result back to the pool.
  const converted = planned.outDtype === 'BF16' || planned.outDtype === 'F16';
  const output = converted ? pool.acquire(inputs.models[0]?.length ?? 0) : undefined;
  const merged = mergeOne(method, planned, inputs, run, offset, output);
  recycle(inputs, pool);
  const tensor = encode(merged, planned, shape);
  if (output) pool.release(output);
  return tensor;
}

/**
 * Two alternating output buffers for the BF16 fast path: the result of tensor (or chunk) k is written
 * while k + 1 is merged, and the merge loop awaits that write before k + 2 starts, so a buffer is free
 * again when its turn comes. Reused pages need no faulting in.
 */
class Bf16Outputs {
  private readonly buffers: (Uint16Array | undefined)[] = [undefined, undefined];
  private turn = 0;

  next(elements: number): Uint16Array {
    this.turn ^= 1;
    const current = this.buffers[this.turn];
    if (current && current.length >= elements) return current.subarray(0, elements);
    const fresh = new Uint16Array(elements);
    this.buffers[this.turn] = fresh;
    return fresh;
  }
}

/** The method's own BF16 → BF16 fast path, when it has one and every input and the output are BF16. */
function methodBf16(
  method: ReturnType<typeof mergeMethod>,
  planned: PlannedTensor,
  raw: RawInputs,
  shape: readonly number[],
  seed: number,
  offset: number,
  outputs: Bf16Outputs,
): Tensor | undefined {
  if (!method.mergeBf16 || planned.outDtype !== 'BF16') return undefined;
  const inputs = raw.base ? [raw.base, ...raw.models] : raw.models;
  if (inputs.some((t) => t.dtype !== 'BF16')) return undefined;
  const context: TensorContext = { name: planned.name, shape: planned.shape, seed, offset };
  const data = method.mergeBf16(
    {
      ...(raw.base ? { base: raw.base.data as Uint16Array } : {}),
      models: raw.models.map((t) => t.data as Uint16Array),
      output: outputs.next(numel(shape)),
      global: planned.global,
      perModel: planned.perModel,
    },
    context,
  );
  return data ? { dtype: 'BF16', shape: [...shape], data } : undefined;
}

function mergeOne(
  method: ReturnType<typeof mergeMethod>,
  planned: PlannedTensor,
  inputs: Inputs,
  run: MergeRun,
  offset: number,
  output: Float32Array | undefined,
): Float32Array {
  const context: TensorContext = {
    name: planned.name,
    shape: planned.shape,
    seed: run.seed,
    offset,
    ...(run.modelTrims ? { modelTrims: run.modelTrims } : {}),
  };
  const verified: { finite?: boolean } = {};
  const merged = method.merge(
    {
      ...inputs,
      global: planned.global,
      perModel: planned.perModel,
      scratchModels: true,
      ...(output ? { output } : {}),
      verified,
    },
    context,
  );
  // Some kernels check finiteness in their own pass; the separate check is one more read of the result.
  if (verified.finite !== true && !allFinite(merged)) {
    const i = merged.findIndex((v) => !Number.isFinite(v));
    throw mergeError(
      'E_NUMERIC',
      `tensor '${planned.name}': the merge produced ${merged[i]} at element ${offset + i}; check the inputs for NaN/Inf and the weights`,
    );
  }
  return merged;
}

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function encode(values: Float32Array, planned: PlannedTensor, shape: readonly number[]): Tensor {
  return fromFloat32(values, planned.outDtype as DType, shape);
}

async function copyTensor(
  checkpoints: readonly Checkpoint[],
  planned: PlannedTensor,
  writer: {
    write(n: string, t: Tensor): Promise<void>;
    writeRows(n: string, s: number, t: Tensor): Promise<void>;
  },
  rowsPerChunk: number,
): Promise<void> {
  const input = planned.models[0]!;
  const checkpoint = checkpoints[input.checkpoint]!;
  const rows = planned.shape[0] ?? 1;
  if (planned.shape.length === 0 || rowsPerChunk >= rows) {
    const tensor = await checkpoint.read(input.tensor);
    await writer.write(planned.name, { dtype: tensor.dtype, shape: planned.shape, data: tensor.data });
    return;
  }
  for (let start = 0; start < rows; start += rowsPerChunk) {
    const end = Math.min(rows, start + rowsPerChunk);
    await writer.writeRows(planned.name, start, await checkpoint.readRows(input.tensor, start, end));
  }
}

function provenance(config: MergeConfig, plan: MergePlan, seed: number): Record<string, string> {
  // Distinct resolved parameter sets, so the metadata stays small for models with thousands of tensors.
  const sets = new Map<string, { global: unknown; perModel: unknown; tensors: number; example: string }>();
  for (const t of plan.tensors) {
    if (t.kind === 'copy' && t.perModel.length === 0) continue;
    const key = JSON.stringify([t.global, t.perModel]);
    const entry = sets.get(key);
    if (entry) entry.tensors++;
    else sets.set(key, { global: t.global, perModel: t.perModel, tensors: 1, example: t.name });
  }
  const { ...recipe } = config as MergeConfig & { baseDirectory?: string };
  delete recipe.baseDirectory;
  return {
    format: 'pt',
    'modelsmith.merge.library': '@modelsmith/merge',
    'modelsmith.merge.method': plan.method,
    'modelsmith.merge.preset': plan.preset,
    'modelsmith.merge.seed': String(seed),
    'modelsmith.merge.config': JSON.stringify(recipe),
    'modelsmith.merge.resolved': JSON.stringify([...sets.values()]),
    'modelsmith.merge.inputs': JSON.stringify(plan.checkpoints.map((p) => basename(p))),
  };
}

function sideFileDirectory(path: string): string | undefined {
  return path.endsWith('.safetensors') ? dirname(path) : path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function existingSideFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of SIDE_FILES) if (await exists(join(directory, file))) found.push(file);
  return found;
}

async function copySideFiles(
  source: string,
  target: string,
  files: readonly string[],
  plan: MergePlan,
): Promise<string[]> {
  for (const file of files) {
    const temporary = join(target, `.${file}.partial`);
    try {
      if (file === 'config.json') {
        const json = JSON.parse(await readFile(join(source, file), 'utf8')) as Record<string, unknown>;
        const dtypes = new Set(plan.tensors.filter((t) => t.kind === 'merge').map((t) => t.outDtype));
        if (dtypes.size === 1)
          json.torch_dtype = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64' }[
            [...dtypes][0]!
          ];
        if (plan.outputLayers !== undefined && 'num_hidden_layers' in json)
          json.num_hidden_layers = plan.outputLayers;
        await writeFile(temporary, `${JSON.stringify(json, null, 2)}\n`);
      } else await copyFile(join(source, file), temporary);
      await rename(temporary, join(target, file));
    } catch (error) {
      await rm(temporary, { force: true });
      throw mergeError('E_IO', `could not copy ${file} from ${source}: ${(error as Error).message}`, error);
    }
  }
  return [...files];
}
