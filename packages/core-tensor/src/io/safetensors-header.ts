import { DTYPES, type DType, dtypeByteSize, isDType } from '../dtype.js';
import { createErrorFactory } from '../errors/modelsmith-error.js';
import type { ByteSource } from './byte-source.js';

const fail = createErrorFactory('core-tensor');

/** Largest header accepted, as in the reference implementation (100 MB). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/** One tensor of a validated header; offsets are relative to the start of the data section. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly byteLength: number;
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  /** Length of the JSON header in bytes (the value of the 8-byte prefix). */
  readonly headerSize: number;
  /** File offset of the data section: `8 + headerSize`. */
  readonly dataStart: number;
  /** Sorted by offset. */
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Readonly<Record<string, string>>;
}

const HINT = 'the file is corrupt or not a safetensors file';

function headerError(file: string, message: string, cause?: unknown) {
  return fail('E_SAFETENSORS_HEADER', `${file}: invalid safetensors header: ${message} (${HINT})`, cause);
}

/** Reads the 8-byte little-endian header length, refusing anything above the limit or past the end. */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8)
    throw headerError(file, `file is ${fileSize} bytes, shorter than the 8-byte header length`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const size = high * 2 ** 32 + low;
  if (high !== 0 || size > MAX_SAFETENSORS_HEADER_BYTES) {
    throw headerError(file, `header length ${size} is above the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`);
  }
  if (8 + size > fileSize) {
    throw headerError(file, `header length ${size} runs past the end of the ${fileSize}-byte file`);
  }
  return size;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function parseEntry(file: string, name: string, raw: unknown, dataSize: number): SafetensorsEntry {
  const where = `tensor '${name}'`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw headerError(
      file,
      `${where} must be an object with dtype, shape and data_offsets, got ${describe(raw)}`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isDType(dtype)) {
    throw headerError(file, `${where} has unknown dtype ${describe(dtype)}; supported: ${DTYPES.join(', ')}`);
  }
  if (!Array.isArray(shape))
    throw headerError(file, `${where} shape must be an array, got ${describe(shape)}`);
  let numel = 1;
  for (const dim of shape) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw headerError(
        file,
        `${where} shape ${describe(shape)} has ${describe(dim)}; dimensions are non-negative integers`,
      );
    }
    numel *= dim;
  }
  if (!Number.isSafeInteger(numel)) throw headerError(file, `${where} shape ${describe(shape)} is too large`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  ) {
    throw headerError(
      file,
      `${where} data_offsets must be [begin, end] non-negative integers, got ${describe(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw headerError(file, `${where} data_offsets [${begin}, ${end}] end before they begin`);
  const byteLength = numel * dtypeByteSize(dtype);
  if (end - begin !== byteLength) {
    throw headerError(
      file,
      `${where} is ${dtype} [${shape.join(', ')}] = ${byteLength} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  if (end > dataSize) {
    throw fail(
      'E_SAFETENSORS_DATA',
      `${file}: tensor '${name}' ends at data byte ${end} but the data section has only ${dataSize} bytes (the file is truncated or corrupt)`,
    );
  }
  return { name, dtype, shape: shape as number[], byteLength, begin, end };
}

/**
 * Validates a whole header before any tensor data is read: JSON object, string
 * metadata, known dtypes, integer shapes, byte lengths = numel × itemsize, offsets
 * that tile the data section exactly (no overlap, no hole, nothing left over).
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataSize: number,
  file: string,
): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch (error) {
    throw headerError(file, 'header is not valid UTF-8', error);
  }
  if (!text.startsWith('{'))
    throw headerError(file, `header must start with '{', got ${describe(text.slice(0, 20))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw headerError(file, `header is not valid JSON (${(error as Error).message})`, error);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw headerError(file, 'header must be a JSON object');
  }
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw headerError(file, `__metadata__ must be an object of strings, got ${describe(value)}`);
      }
      for (const [metaKey, metaValue] of Object.entries(value)) {
        if (typeof metaValue !== 'string') {
          throw headerError(file, `__metadata__.${metaKey} must be a string, got ${describe(metaValue)}`);
        }
      }
      metadata = Object.fromEntries(Object.entries(value as Record<string, string>));
      continue;
    }
    entries.push(parseEntry(file, key, value, dataSize));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of entries) {
    if (entry.begin < expected) {
      throw headerError(
        file,
        `tensor '${entry.name}' [${entry.begin}, ${entry.end}] overlaps tensor '${previous!.name}' [${previous!.begin}, ${previous!.end}]`,
      );
    }
    if (entry.begin > expected) {
      throw headerError(
        file,
        `hole in the data section: bytes [${expected}, ${entry.begin}) before tensor '${entry.name}' belong to no tensor`,
      );
    }
    expected = entry.end;
    previous = entry;
  }
  if (expected !== dataSize) {
    throw fail(
      'E_SAFETENSORS_DATA',
      `${file}: the data section has ${dataSize} bytes but the tensors cover ${expected} (${dataSize - expected} trailing bytes; the file is corrupt)`,
    );
  }
  return { headerSize: headerBytes.byteLength, dataStart: 8 + headerBytes.byteLength, entries, metadata };
}

/** Reads and validates the header of a source: two small reads, bounded by the header limit. */
export async function readSafetensorsHeader(source: ByteSource, file: string): Promise<SafetensorsHeader> {
  if (source.size < 8)
    throw headerError(file, `file is ${source.size} bytes, shorter than the 8-byte header length`);
  const prefix = await source.read(0, 8);
  const headerSize = parseHeaderLength(prefix, source.size, file);
  const headerBytes = await source.read(8, headerSize);
  return parseSafetensorsHeader(headerBytes, source.size - 8 - headerSize, file);
}
