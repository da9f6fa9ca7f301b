import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createErrorFactory, ModelsmithError } from '../errors/modelsmith-error.js';
import { type Tensor, tensorBytes } from '../tensor.js';
import { planSafetensorsLayout } from './safetensors-layout.js';

const fail = createErrorFactory('core-tensor');

/**
 * Writes one safetensors file atomically: a temporary `.<name>.<random>.partial`
 * beside `path`, synced, then renamed over it. Replaces an existing file.
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  const entries = Object.entries(tensors);
  if (entries.some(([name]) => name === '__metadata__')) {
    throw fail('E_CHECKPOINT', `${path}: '__metadata__' is reserved and cannot name a tensor`);
  }
  const layout = planSafetensorsLayout(
    entries.map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: tensor.shape })),
    metadata,
  );
  const chunks = layout.order.map((entry) => {
    const bytes = tensorBytes(tensors[entry.name]!);
    if (bytes.byteLength !== entry.end - entry.begin) {
      throw fail(
        'E_SHAPE_MISMATCH',
        `${path}: tensor '${entry.name}' has ${bytes.byteLength} bytes of data, its dtype and shape need ${entry.end - entry.begin}`,
      );
    }
    return bytes;
  });
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`,
  );
  try {
    const handle = await open(temporary, 'w');
    try {
      let position = 0;
      for (const bytes of [layout.header, ...chunks]) {
        let done = 0;
        while (done < bytes.byteLength) {
          const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, position + done);
          done += bytesWritten;
        }
        position += bytes.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    if (ModelsmithError.isInstance(error)) throw error;
    throw fail('E_IO', `cannot write ${path}: ${(error as Error).message}`, error);
  }
}
