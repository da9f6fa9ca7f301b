import {
  type Checkpoint,
  createCheckpointWriter,
  type DType,
  fromFloat32,
  openCheckpoint,
  type ProgressCallback,
  parseOptions,
  toFloat32,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { mergeError, PACKAGE_NAME } from '../errors.js';

export interface FisherMergeCheckpointsOptions {
  /** Model checkpoints (files or directories); model 0 is the "target" model. */
  readonly models: readonly string[];
  /** Diagonal Fisher checkpoints, one per model, with the same tensor names and shapes. */
  readonly fishers: readonly string[];
  readonly outputDirectory: string;
  readonly lambdas?: readonly number[];
  readonly normalizeFishers?: boolean;
  readonly fisherFloor?: number;
  readonly favorTargetModel?: boolean;
  /** Output dtype (default: model 0's dtype per tensor). */
  readonly outDtype?: 'F32' | 'F16' | 'BF16';
  readonly maxShardBytes?: number;
  readonly force?: boolean;
  readonly onProgress?: ProgressCallback;
  /** Elements per input per row chunk (default 4 Mi). */
  readonly chunkElements?: number;
}

const schema = z.strictObject({
  models: z.array(z.string().min(1)).min(1),
  fishers: z.array(z.string().min(1)).min(1),
  outputDirectory: z.string().min(1),
  lambdas: z.array(z.number().nonnegative()).optional(),
  normalizeFishers: z.boolean().optional(),
  fisherFloor: z.number().nonnegative().optional(),
  favorTargetModel: z.boolean().optional(),
  outDtype: z.enum(['F32', 'F16', 'BF16']).optional(),
  maxShardBytes: z.int().positive().optional(),
  force: z.boolean().optional(),
  onProgress: z.custom<ProgressCallback>((v) => typeof v === 'function').optional(),
  chunkElements: z.int().positive().optional(),
});

/**
 * Fisher-weighted averaging of checkpoints (Matena & Raffel 2022), streaming: pass 1 reads every
 * Fisher tensor once for the global norms ‖Fⱼ‖₂ (when `normalizeFishers`, default true); pass 2 merges
 * θ* = Σⱼ λⱼFⱼθⱼ / Σⱼ λⱼFⱼ element-wise in row chunks. Same semantics as `fisherMerge`.
 */
export async function fisherMergeCheckpoints(
  options: FisherMergeCheckpointsOptions,
): Promise<{ files: string[]; totalSize: number }> {
  const parsed = parseOptions(PACKAGE_NAME, 'fisherMergeCheckpoints options', schema, options);
  const count = parsed.models.length;
  if (parsed.fishers.length !== count)
    throw mergeError(
      'E_INPUT',
      `fisherMergeCheckpoints: ${count} models but ${parsed.fishers.length} Fisher checkpoints`,
    );
  const lambdas = Float64Array.from(parsed.lambdas ?? new Array(count).fill(1));
  if (lambdas.length !== count)
    throw mergeError('E_INPUT', `fisherMergeCheckpoints: ${lambdas.length} lambdas for ${count} models`);
  const opened: Checkpoint[] = [];
  try {
    for (const path of [...parsed.models, ...parsed.fishers]) opened.push(await openCheckpoint(path));
    const models = opened.slice(0, count);
    const fishers = opened.slice(count);
    const reference = models[0]!;
    const floatTensors = reference.tensors.filter(
      (t) => t.dtype === 'F32' || t.dtype === 'F16' || t.dtype === 'BF16' || t.dtype === 'F64',
    );
    // Every header first.
    for (const info of reference.tensors) {
      for (const checkpoint of [...models, ...fishers]) {
        if (!checkpoint.has(info.name))
          throw mergeError('E_CHECKPOINT', `tensor '${info.name}' is missing from ${checkpoint.path}`);
        const other = checkpoint.info(info.name);
        if (other.shape.join() !== info.shape.join()) {
          throw mergeError(
            'E_SHAPE_MISMATCH',
            `tensor '${info.name}' is [${other.shape.join(', ')}] in ${checkpoint.path} but [${info.shape.join(', ')}] in ${reference.path}`,
          );
        }
      }
    }
    const chunkElements = parsed.chunkElements ?? 4 * 1024 * 1024;
    const chunks = (shape: readonly number[]) => {
      const rows = shape.length === 0 ? 1 : shape[0]!;
      const rowLength = shape.length <= 1 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
      const step = shape.length === 0 ? 1 : Math.max(1, Math.floor(chunkElements / rowLength));
      const out: [number, number][] = [];
      for (let start = 0; start < rows; start += step) out.push([start, Math.min(rows, start + step)]);
      return out;
    };
    const read = (
      checkpoint: Checkpoint,
      name: string,
      shape: readonly number[],
      start: number,
      end: number,
    ) =>
      shape.length === 0 || (start === 0 && end === shape[0])
        ? checkpoint.read(name)
        : checkpoint.readRows(name, start, end);
    if (parsed.normalizeFishers ?? true) {
      for (let j = 0; j < count; j++) {
        let sq = 0;
        for (const info of floatTensors) {
          for (const [start, end] of chunks(info.shape)) {
            for (const f of toFloat32(await read(fishers[j]!, info.name, info.shape, start, end)))
              sq += f * f;
          }
        }
        if (sq === 0)
          throw mergeError(
            'E_NUMERIC',
            `fisherMergeCheckpoints: ${fishers[j]!.path} is zero everywhere; it cannot be normalised`,
          );
        lambdas[j] = lambdas[j]! / Math.sqrt(sq);
      }
    }
    const floor = parsed.fisherFloor ?? 1e-6;
    const favorTarget = parsed.favorTargetModel ?? true;
    const outDtype = (info: { dtype: string }): DType =>
      (parsed.outDtype ?? (info.dtype === 'F64' ? 'F32' : info.dtype)) as DType;
    const writer = await createCheckpointWriter({
      directory: parsed.outputDirectory,
      specs: reference.tensors.map((info) => ({
        name: info.name,
        dtype: floatTensors.includes(info) ? outDtype(info) : info.dtype,
        shape: info.shape,
      })),
      ...(parsed.maxShardBytes !== undefined ? { maxShardBytes: parsed.maxShardBytes } : {}),
      metadata: {
        format: 'pt',
        'modelsmith.merge.method': 'fisher',
        'modelsmith.merge.resolved': JSON.stringify({
          lambdas: Array.from(lambdas),
          fisherFloor: floor,
          favorTargetModel: favorTarget,
        }),
      },
      force: parsed.force ?? false,
    });
    try {
      let done = 0;
      for (const info of reference.tensors) {
        parsed.onProgress?.({ done, total: reference.tensors.length, label: info.name });
        if (!floatTensors.includes(info)) {
          await writer.write(info.name, await reference.read(info.name));
          done++;
          continue;
        }
        for (const [start, end] of chunks(info.shape)) {
          const thetas = await Promise.all(
            models.map((m) => read(m, info.name, info.shape, start, end).then(toFloat32)),
          );
          const fs = await Promise.all(
            fishers.map((f) => read(f, info.name, info.shape, start, end).then(toFloat32)),
          );
          const n = thetas[0]!.length;
          const numerator = new Float64Array(n);
          const denominator = new Float64Array(n);
          for (let j = 0; j < count; j++) {
            const lambda = lambdas[j]!;
            const add = j === 0 || !favorTarget ? floor : 0;
            const f = fs[j]!;
            const theta = thetas[j]!;
            for (let i = 0; i < n; i++) {
              const weight = lambda * (f[i]! + add);
              numerator[i]! += weight * theta[i]!;
              denominator[i]! += weight;
            }
          }
          const merged = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            if (!(denominator[i]! > 0)) {
              throw mergeError(
                'E_NUMERIC',
                `fisherMergeCheckpoints: tensor '${info.name}' has zero (or negative) total Fisher at an element; use fisherFloor > 0`,
              );
            }
            merged[i] = numerator[i]! / denominator[i]!;
          }
          const shape = info.shape.length === 0 ? [] : [end - start, ...info.shape.slice(1)];
          const tensor = fromFloat32(merged, outDtype(info), shape);
          if (info.shape.length === 0 || (start === 0 && end === info.shape[0]))
            await writer.write(info.name, tensor);
          else await writer.writeRows(info.name, start, tensor);
        }
        done++;
      }
      parsed.onProgress?.({ done, total: reference.tensors.length, label: 'finishing' });
      return await writer.finish();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await Promise.all(opened.map((c) => c.close()));
  }
}
