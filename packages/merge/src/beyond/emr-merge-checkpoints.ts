import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Checkpoint,
  type CheckpointWriter,
  createCheckpointWriter,
  type DType,
  fromFloat32,
  openCheckpoint,
  parseOptions,
  toFloat32,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { mergeError, PACKAGE_NAME } from '../errors.js';
import { type EmrTensorResult, emrMergeTensor, emrRescalers } from './emr-merge.js';

export interface EmrMergeCheckpointsOptions {
  readonly base: string;
  readonly models: readonly string[];
  readonly outputDirectory: string;
  readonly zeroSign?: 'positive' | 'negative';
  readonly force?: boolean;
}

const schema = z.strictObject({
  base: z.string().min(1),
  models: z.array(z.string().min(1)).min(1),
  outputDirectory: z.string().min(1),
  zeroSign: z.enum(['positive', 'negative']).optional(),
  force: z.boolean().optional(),
});

/**
 * EMR-merging of checkpoints, one tensor at a time: writes `unified/` (θ₀ + τ_uni, in the base's
 * dtypes), `masks/task-<i>/` (one BOOL tensor per merged tensor, same names) and `emr.json` with the
 * per-task rescalers λᵢ. Task model i is θ₀ + λᵢ · maskᵢ ⊙ (unified − θ₀) (`emrTaskTensor`).
 */
export async function emrMergeCheckpoints(
  options: EmrMergeCheckpointsOptions,
): Promise<{ rescalers: number[] }> {
  const parsed = parseOptions(PACKAGE_NAME, 'emrMergeCheckpoints options', schema, options);
  const opened: Checkpoint[] = [];
  const writers: CheckpointWriter[] = [];
  try {
    for (const path of [parsed.base, ...parsed.models]) opened.push(await openCheckpoint(path));
    const [base, ...models] = opened as [Checkpoint, ...Checkpoint[]];
    const floats = base.tensors.filter((t) => t.dtype === 'F32' || t.dtype === 'F16' || t.dtype === 'BF16');
    for (const info of base.tensors) {
      for (const model of models) {
        if (!model.has(info.name))
          throw mergeError('E_CHECKPOINT', `tensor '${info.name}' is missing from ${model.path}`);
        if (model.info(info.name).shape.join() !== info.shape.join()) {
          throw mergeError(
            'E_SHAPE_MISMATCH',
            `tensor '${info.name}' is [${model.info(info.name).shape.join(', ')}] in ${model.path} but [${info.shape.join(', ')}] in the base`,
          );
        }
      }
    }
    const force = parsed.force ?? false;
    const unified = await createCheckpointWriter({
      directory: join(parsed.outputDirectory, 'unified'),
      specs: base.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      metadata: { format: 'pt', 'modelsmith.merge.method': 'emr' },
      force,
    });
    writers.push(unified);
    for (let i = 0; i < models.length; i++) {
      writers.push(
        await createCheckpointWriter({
          directory: join(parsed.outputDirectory, 'masks', `task-${i}`),
          specs: floats.map((t) => ({ name: t.name, dtype: 'BOOL' as DType, shape: t.shape })),
          metadata: { format: 'pt', 'modelsmith.merge.emr.task': String(i) },
          force,
        }),
      );
    }
    const parts: Pick<EmrTensorResult, 'taskL1' | 'maskedUnifiedL1'>[] = [];
    for (const info of base.tensors) {
      const baseTensor = await base.read(info.name);
      if (!floats.includes(info)) {
        await unified.write(info.name, baseTensor);
        continue;
      }
      const theta0 = toFloat32(baseTensor);
      const thetas = await Promise.all(models.map(async (m) => toFloat32(await m.read(info.name))));
      const result = emrMergeTensor(theta0, thetas, parsed.zeroSign ? { zeroSign: parsed.zeroSign } : {});
      const merged = new Float32Array(theta0.length);
      for (let k = 0; k < merged.length; k++) merged[k] = theta0[k]! + result.unifiedDelta[k]!;
      await unified.write(info.name, fromFloat32(merged, info.dtype, info.shape));
      for (let i = 0; i < models.length; i++) {
        await writers[i + 1]!.write(info.name, { dtype: 'BOOL', shape: info.shape, data: result.masks[i]! });
      }
      parts.push({ taskL1: result.taskL1, maskedUnifiedL1: result.maskedUnifiedL1 });
    }
    const rescalers = Array.from(emrRescalers(parts));
    for (const writer of writers) await writer.finish();
    await writeFile(
      join(parsed.outputDirectory, 'emr.json'),
      `${JSON.stringify({ method: 'emr', base: parsed.base, tasks: parsed.models, rescalers }, null, 2)}\n`,
    );
    return { rescalers };
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort()));
    throw error;
  } finally {
    await Promise.all(opened.map((c) => c.close()));
  }
}
