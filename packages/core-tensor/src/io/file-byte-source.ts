import { open } from 'node:fs/promises';
import { createErrorFactory } from '../errors/modelsmith-error.js';
import type { ByteSource } from './byte-source.js';

const fail = createErrorFactory('core-tensor');

/**
 * A source over a file, read with positioned reads. Each read gets its own
 * ArrayBuffer (offset 0, so every dtype view is aligned) without zero-filling.
 */
export async function fileByteSource(path: string): Promise<ByteSource> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fail('E_IO', `cannot open ${path}: ${(error as Error).message}`, error);
  }
  const { size } = await handle.stat();
  let closed = false;
  const check = (offset: number, length: number): void => {
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > size
    ) {
      throw fail('E_IO', `${path}: read of ${length} bytes at ${offset} is outside the file (${size} bytes)`);
    }
  };
  const fill = async (offset: number, target: Uint8Array): Promise<void> => {
    const length = target.byteLength;
    let done = 0;
    while (done < length) {
      // A single read is capped at 2 GiB by the OS; loop until the range is filled.
      const chunk = Math.min(length - done, 0x40000000);
      const { bytesRead } = await handle.read(target, done, chunk, offset + done);
      if (bytesRead === 0) {
        throw fail(
          'E_IO',
          `${path}: file ended at ${offset + done} while reading ${length} bytes at ${offset} (was it truncated?)`,
        );
      }
      done += bytesRead;
    }
  };
  return {
    size,
    async read(offset, length) {
      check(offset, length);
      const buffer = Buffer.allocUnsafeSlow(length);
      const target = new Uint8Array(buffer.buffer, buffer.byteOffset, length);
      await fill(offset, target);
      return target;
    },
    async readInto(offset, target) {
      check(offset, target.byteLength);
      await fill(offset, target);
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
