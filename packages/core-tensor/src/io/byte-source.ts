import { createErrorFactory } from '../errors/modelsmith-error.js';

const fail = createErrorFactory('core-tensor');

/**
 * Random-access bytes: a file, an in-memory buffer or a Blob. Readers ask for one
 * range at a time and never for the whole source.
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes starting at `offset`; rejects when the range is past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Fills `target` with the bytes at `offset` (no allocation); sources without it fall back to `read` + copy. */
  readInto?(offset: number, target: Uint8Array): Promise<void>;
  close?(): Promise<void>;
}

function checkRange(source: ByteSource, offset: number, length: number, name: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw fail('E_IO', `${name}: invalid read range offset=${offset} length=${length}`);
  }
  if (offset + length > source.size) {
    throw fail(
      'E_IO',
      `${name}: read of ${length} bytes at ${offset} is past the end (${source.size} bytes)`,
    );
  }
}

/** A source over bytes already in memory. Reads are views (no copy). */
export function memoryByteSource(bytes: ArrayBuffer | Uint8Array, name = '<memory>'): ByteSource {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const source: ByteSource = {
    size: view.byteLength,
    read: async (offset, length) => {
      checkRange(source, offset, length, name);
      return view.subarray(offset, offset + length);
    },
  };
  return source;
}

/** A source over a Blob or File (browsers, Node 20). */
export function blobByteSource(blob: Blob, name = '<blob>'): ByteSource {
  const source: ByteSource = {
    size: blob.size,
    read: async (offset, length) => {
      checkRange(source, offset, length, name);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
  return source;
}
