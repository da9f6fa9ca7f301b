import {
  fromFloat32,
  isFloatDType,
  parseSafetensors,
  serializeSafetensors,
  type Tensor,
  toFloat32,
} from '@modelsmith/core-tensor';
import { peftError } from '../errors.js';
import type { FloatTensor } from './float-tensor.js';

/** Stored dtype of adapter factors. */
export type AdapterDType = 'F32' | 'F16' | 'BF16';

/** Decodes an adapter safetensors file; float dtypes are upcast to float32 (tfjs has no half types). */
export function decodeAdapterSafetensors(
  bytes: Uint8Array,
  fileName: string,
): { tensors: Map<string, FloatTensor>; metadata: Record<string, string> } {
  const parsed = parseSafetensors(bytes, fileName);
  const tensors = new Map<string, FloatTensor>();
  for (const [name, tensor] of Object.entries(parsed.tensors)) {
    if (!isFloatDType(tensor.dtype)) {
      throw peftError(
        'E_DTYPE',
        `${fileName}: tensor "${name}" has dtype ${tensor.dtype}; adapter tensors must be floating point`,
      );
    }
    tensors.set(name, { dtype: 'F32', shape: [...tensor.shape], data: toFloat32(tensor) });
  }
  return { tensors, metadata: parsed.metadata };
}

/** Encodes tensors (sorted by name) as safetensors in the requested float dtype. */
export function encodeAdapterSafetensors(
  tensors: ReadonlyMap<string, FloatTensor>,
  dtype: AdapterDType = 'F32',
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const record: Record<string, Tensor> = {};
  for (const name of [...tensors.keys()].sort()) {
    const tensor = tensors.get(name)!;
    record[name] = fromFloat32(tensor.data, dtype, tensor.shape);
  }
  return serializeSafetensors(record, metadata);
}
