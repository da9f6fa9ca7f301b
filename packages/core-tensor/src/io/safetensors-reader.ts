import { dtypeByteSize } from '../dtype.js';
import { createErrorFactory, ModelsmithError } from '../errors/modelsmith-error.js';
import { type Tensor, tensorFromBytes } from '../tensor.js';
import type { ByteSource } from './byte-source.js';
import type { Checkpoint, TensorInfo } from './checkpoint.js';
import { readSafetensorsHeader, type SafetensorsEntry } from './safetensors-header.js';

const fail = createErrorFactory('core-tensor');

function wrapReadError(file: string, tensor: string, error: unknown): ModelsmithError {
  const reason = error instanceof Error ? error.message : String(error);
  return fail('E_SAFETENSORS_DATA', `${file}: cannot read tensor '${tensor}': ${reason}`, error);
}

/** Checks `[rowStart, rowEnd)` against dim 0 of `shape`; returns the bytes per row. */
export function rowRange(file: string, info: TensorInfo, rowStart: number, rowEnd: number): number {
  const rows = info.shape[0];
  if (rows === undefined)
    throw fail('E_CHECKPOINT', `${file}: tensor '${info.name}' is a scalar and has no rows`);
  if (
    !Number.isSafeInteger(rowStart) ||
    !Number.isSafeInteger(rowEnd) ||
    rowStart < 0 ||
    rowEnd < rowStart ||
    rowEnd > rows
  ) {
    throw fail(
      'E_CHECKPOINT',
      `${file}: rows [${rowStart}, ${rowEnd}) of tensor '${info.name}' are outside [0, ${rows}]`,
    );
  }
  return rows === 0 ? 0 : info.byteLength / rows;
}

/**
 * Opens one safetensors source: validates the whole header, then reads tensors
 * one positioned read at a time. The returned checkpoint owns `source` and closes it.
 */
export async function openSafetensors(source: ByteSource, file: string): Promise<Checkpoint> {
  let header: Awaited<ReturnType<typeof readSafetensorsHeader>>;
  try {
    header = await readSafetensorsHeader(source, file);
  } catch (error) {
    await source.close?.();
    if (ModelsmithError.isInstance(error)) throw error;
    throw fail('E_SAFETENSORS_HEADER', `${file}: cannot read the header: ${(error as Error).message}`, error);
  }
  const byName = new Map<string, SafetensorsEntry>();
  for (const entry of header.entries) byName.set(entry.name, entry);
  const tensors: TensorInfo[] = [...header.entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, dtype, shape, byteLength }) => ({ name, dtype, shape, byteLength }));

  const entryOf = (name: string): SafetensorsEntry => {
    const entry = byName.get(name);
    if (!entry)
      throw fail('E_CHECKPOINT', `${file}: no tensor named '${name}' (the file has ${byName.size} tensors)`);
    return entry;
  };

  const readRange = async (name: string, offset: number, length: number): Promise<Uint8Array> => {
    try {
      return length === 0 ? new Uint8Array(0) : await source.read(header.dataStart + offset, length);
    } catch (error) {
      throw wrapReadError(file, name, error);
    }
  };

  const checkpoint: Checkpoint = {
    path: file,
    tensors,
    metadata: header.metadata,
    has: (name) => byName.has(name),
    info: (name) => {
      const { dtype, shape, byteLength } = entryOf(name);
      return { name, dtype, shape, byteLength };
    },
    async read(name) {
      const entry = entryOf(name);
      const bytes = await readRange(name, entry.begin, entry.byteLength);
      return tensorFromBytes(entry.dtype, entry.shape, bytes);
    },
    async readInto(name, buffer) {
      const entry = entryOf(name);
      const size = dtypeByteSize(entry.dtype);
      if (buffer.byteLength < entry.byteLength || buffer.byteOffset % size !== 0) {
        throw fail(
          'E_CHECKPOINT',
          `${file}: tensor '${name}' needs a buffer of at least ${entry.byteLength} bytes starting at a multiple of ${size}, got ${buffer.byteLength} bytes at offset ${buffer.byteOffset}`,
        );
      }
      const target = buffer.subarray(0, entry.byteLength);
      if (entry.byteLength > 0) {
        try {
          if (source.readInto) await source.readInto(header.dataStart + entry.begin, target);
          else target.set(await source.read(header.dataStart + entry.begin, entry.byteLength));
        } catch (error) {
          throw wrapReadError(file, name, error);
        }
      }
      return tensorFromBytes(entry.dtype, entry.shape, target);
    },
    async readRows(name, rowStart, rowEnd) {
      const entry = entryOf(name);
      const rowBytes = rowRange(file, entry, rowStart, rowEnd);
      const bytes = await readRange(name, entry.begin + rowStart * rowBytes, (rowEnd - rowStart) * rowBytes);
      return tensorFromBytes(entry.dtype, [rowEnd - rowStart, ...entry.shape.slice(1)], bytes);
    },
    async *iterate(): AsyncGenerator<{ info: TensorInfo; tensor: Tensor }> {
      for (const info of tensors) yield { info, tensor: await checkpoint.read(info.name) };
    },
    async close() {
      await source.close?.();
    },
  };
  return checkpoint;
}
