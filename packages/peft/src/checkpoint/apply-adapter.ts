import {
  type Checkpoint,
  createCheckpointWriter,
  fromFloat32,
  isFloatDType,
  openCheckpoint,
  type ProgressCallback,
  parseOptions,
  toFloat32,
} from '@modelsmith/core-tensor';
import { z } from 'zod';
import { moduleLoraParameters } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { loadAdapter } from '../io/adapter-directory.js';
import { KEY_PREFIX, type LoraAdapter, type LoraModuleWeights, loraModuleKeys } from '../io/lora-adapter.js';
import { addLoraDelta, loraDeltaShape } from '../io/lora-delta.js';

export const applyAdapterOptionsSchema = z.object({
  /** Base checkpoint: a .safetensors file, a sharded directory, or a directory of .safetensors files. */
  base: z.string().min(1),
  /** Adapter directory (or an adapter already in memory). */
  adapter: z.union([
    z.string().min(1),
    z.custom<LoraAdapter>((v) => typeof v === 'object' && v !== null && 'modules' in v),
  ]),
  /** Output directory. */
  output: z.string().min(1),
  /** Extra factor on every delta: W + scale·(α/r)·B·A (default 1). */
  scale: z.number().finite().default(1),
  force: z.boolean().default(false),
  maxShardBytes: z.number().int().positive().optional(),
  /** Rows per chunk when copying large tensors (bounds memory). */
  chunkBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});
export type ApplyAdapterOptionsInput = z.input<typeof applyAdapterOptionsSchema>;

export interface ApplyAdapterResult {
  readonly merged: string[];
  readonly replaced: string[];
  readonly copied: number;
  readonly files: string[];
  readonly totalSize: number;
}

interface Plan {
  readonly tensor: string;
  readonly path: string;
  readonly module: LoraModuleWeights;
}

/** Checks every adapter tensor against the base before any output is written. */
function planMerge(
  base: Checkpoint,
  adapter: LoraAdapter,
): { merges: Map<string, Plan>; biasMerges: Map<string, Plan>; replacements: Map<string, string> } {
  const merges = new Map<string, Plan>();
  const biasMerges = new Map<string, Plan>();
  for (const [path, module] of adapter.modules) {
    const keys = loraModuleKeys(path, module.kind);
    const tensor = `${path}.weight`;
    if (!base.has(tensor)) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `adapter tensor "${keys.a}" targets "${tensor}", which is not in the base checkpoint ${base.path}`,
      );
    }
    const info = base.info(tensor);
    if (!isFloatDType(info.dtype)) {
      throw peftError(
        'E_DTYPE',
        `base tensor "${tensor}" is ${info.dtype}; LoRA merges into floating-point weights only`,
      );
    }
    const shape = loraDeltaShape(module, adapter.config.fan_in_fan_out);
    if (shape.length !== info.shape.length || shape.some((d, i) => d !== info.shape[i])) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `adapter tensors "${keys.a}" [${module.loraA.shape.join(', ')}] and "${keys.b}" [${module.loraB.shape.join(', ')}] give a delta of shape [${shape.join(', ')}], but base tensor "${tensor}" is [${info.shape.join(', ')}]`,
      );
    }
    if (module.loraBias) {
      const biasName = `${path}.bias`;
      if (!base.has(biasName)) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `adapter tensor "${keys.bias}" (lora_bias) needs a base tensor "${biasName}", which is not in ${base.path}`,
        );
      }
      const biasInfo = base.info(biasName);
      if (biasInfo.shape.length !== 1 || biasInfo.shape[0] !== module.loraBias.shape[0]) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `adapter tensor "${keys.bias}" is [${module.loraBias.shape.join(', ')}] but base "${biasName}" is [${biasInfo.shape.join(', ')}]`,
        );
      }
      biasMerges.set(biasName, { tensor: biasName, path, module });
    }
    merges.set(tensor, { tensor, path, module });
  }
  const replacements = new Map<string, string>();
  for (const [name, tensor] of adapter.savedModules) {
    if (!base.has(name))
      throw peftError(
        'E_SHAPE_MISMATCH',
        `modules_to_save tensor "${KEY_PREFIX}${name}" has no tensor "${name}" in the base checkpoint`,
      );
    const info = base.info(name);
    if (info.shape.length !== tensor.shape.length || info.shape.some((d, i) => d !== tensor.shape[i])) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `modules_to_save tensor "${KEY_PREFIX}${name}" is [${tensor.shape.join(', ')}] but base "${name}" is [${info.shape.join(', ')}]`,
      );
    }
    replacements.set(name, name);
  }
  return { merges, biasMerges, replacements };
}

/**
 * DoRA merge on a PyTorch-orientation weight: each output's slice rescaled to norm m. Outputs are rows
 * of Linear `[out, in]` and Conv2d `[out, in, kh, kw]` weights, and columns of an Embedding table
 * `[num, dim]` (PEFT's norm per embedding dimension) or a `fan_in_fan_out` weight `[in, out]`.
 */
function doraRescale(weight: Float32Array, magnitude: Float32Array, outputsAreColumns: boolean): void {
  const out = magnitude.length;
  const inner = weight.length / out;
  // Element j of output o sits at o·inner + j (rows) or j·out + o (columns).
  const rowStride = outputsAreColumns ? 1 : inner;
  const step = outputsAreColumns ? out : 1;
  for (let o = 0; o < out; o++) {
    let sum = 0;
    for (let j = 0; j < inner; j++) sum += weight[o * rowStride + j * step]! ** 2;
    const factor = sum > 0 ? magnitude[o]! / Math.sqrt(sum) : 0;
    for (let j = 0; j < inner; j++) weight[o * rowStride + j * step]! *= factor;
  }
}

/**
 * Streams a base checkpoint into `output` with every targeted weight replaced by
 * W + scale·(α/r)·B·A (DoRA: re-normalised to the magnitude vector), modules_to_save tensors
 * replaced, and every other tensor copied bit for bit. The module path in an adapter key is the
 * base tensor name without `.weight`.
 */
export async function applyAdapterToCheckpoint(
  optionsInput: ApplyAdapterOptionsInput,
  onProgress?: ProgressCallback,
): Promise<ApplyAdapterResult> {
  const options = parseOptions('peft', 'apply options', applyAdapterOptionsSchema, optionsInput);
  const adapter =
    typeof options.adapter === 'string'
      ? await loadAdapter(options.adapter)
      : (options.adapter as LoraAdapter);
  const base = await openCheckpoint(options.base);
  try {
    const { merges, biasMerges, replacements } = planMerge(base, adapter);
    const writer = await createCheckpointWriter({
      directory: options.output,
      specs: base.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      metadata: { ...base.metadata },
      force: options.force,
      ...(options.maxShardBytes ? { maxShardBytes: options.maxShardBytes } : {}),
    });
    let copied = 0;
    try {
      let done = 0;
      for (const info of base.tensors) {
        const plan = merges.get(info.name);
        if (plan) {
          const weight = toFloat32(await base.read(info.name));
          const scaling = options.scale * moduleLoraParameters(plan.path, adapter.config).scaling;
          addLoraDelta(weight, plan.module, scaling, adapter.config.fan_in_fan_out);
          if (plan.module.magnitude) {
            const columns =
              plan.module.kind === 'embedding' ||
              (plan.module.kind === 'linear' && adapter.config.fan_in_fan_out);
            doraRescale(weight, plan.module.magnitude.data, columns);
          }
          await writer.write(info.name, fromFloat32(weight, info.dtype, info.shape));
        } else if (biasMerges.has(info.name)) {
          // lora_bias: PEFT's forward adds scaling·lora_B.bias, so the merge adds it to the base bias.
          const plan = biasMerges.get(info.name)!;
          const bias = toFloat32(await base.read(info.name));
          const scaling = options.scale * moduleLoraParameters(plan.path, adapter.config).scaling;
          const extra = plan.module.loraBias!.data;
          for (let i = 0; i < bias.length; i++) bias[i]! += scaling * extra[i]!;
          await writer.write(info.name, fromFloat32(bias, info.dtype, info.shape));
        } else if (replacements.has(info.name)) {
          await writer.write(
            info.name,
            fromFloat32(adapter.savedModules.get(info.name)!.data, info.dtype, info.shape),
          );
        } else {
          copied++;
          const rows = info.shape[0] ?? 1;
          const rowBytes = info.shape.length > 0 && rows > 0 ? info.byteLength / rows : info.byteLength;
          if (info.shape.length === 0 || info.byteLength <= options.chunkBytes) {
            await writer.write(info.name, await base.read(info.name));
          } else {
            const step = Math.max(1, Math.floor(options.chunkBytes / rowBytes));
            for (let start = 0; start < rows; start += step) {
              await writer.writeRows(
                info.name,
                start,
                await base.readRows(info.name, start, Math.min(rows, start + step)),
              );
            }
          }
        }
        done++;
        onProgress?.({ done, total: base.tensors.length, label: info.name });
      }
      const result = await writer.finish();
      return {
        merged: [...merges.keys()],
        replaced: [...replacements.keys()],
        copied,
        files: result.files,
        totalSize: result.totalSize,
      };
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await base.close();
  }
}
