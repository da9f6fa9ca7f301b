import { createErrorFactory } from '../errors/modelsmith-error.js';
import { type Tensor, tensorBytes, tensorFromBytes } from '../tensor.js';
import { parseHeaderLength, parseSafetensorsHeader } from './safetensors-header.js';
import { planSafetensorsLayout } from './safetensors-layout.js';

const fail = createErrorFactory('core-tensor');

/** Serializes tensors to a complete safetensors file in memory (for tests and browsers). */
export function serializeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const entries = Object.entries(tensors);
  for (const [name] of entries) {
    if (name === '__metadata__')
      throw fail('E_CHECKPOINT', `'__metadata__' is reserved and cannot name a tensor`);
  }
  const layout = planSafetensorsLayout(
    entries.map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: tensor.shape })),
    metadata,
  );
  const out = new Uint8Array(layout.dataStart + layout.dataSize);
  out.set(layout.header, 0);
  for (const entry of layout.order) {
    const bytes = tensorBytes(tensors[entry.name]!);
    if (bytes.byteLength !== entry.end - entry.begin) {
      throw fail(
        'E_SHAPE_MISMATCH',
        `tensor '${entry.name}' has ${bytes.byteLength} bytes of data, its dtype and shape need ${entry.end - entry.begin}`,
      );
    }
    out.set(bytes, layout.dataStart + entry.begin);
  }
  return out;
}

/** Parses and validates a complete safetensors file held in memory. Tensors get their own (aligned) copies. */
export function parseSafetensors(
  bytes: Uint8Array,
  file = '<memory>',
): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const headerSize = parseHeaderLength(bytes.subarray(0, 8), bytes.byteLength, file);
  const header = parseSafetensorsHeader(
    bytes.subarray(8, 8 + headerSize),
    bytes.byteLength - 8 - headerSize,
    file,
  );
  const tensors: Record<string, Tensor> = {};
  for (const entry of header.entries) {
    const start = header.dataStart + entry.begin;
    Object.defineProperty(tensors, entry.name, {
      value: tensorFromBytes(entry.dtype, entry.shape, bytes.slice(start, start + entry.byteLength)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { tensors, metadata: { ...header.metadata } };
}
