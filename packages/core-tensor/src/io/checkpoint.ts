import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DType } from '../dtype.js';
import { createErrorFactory, ModelsmithError } from '../errors/modelsmith-error.js';
import type { Tensor } from '../tensor.js';
import { fileByteSource } from './file-byte-source.js';
import { openSafetensors } from './safetensors-reader.js';

const fail = createErrorFactory('core-tensor');

/** Name, dtype and shape of one stored tensor; known without reading its data. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly byteLength: number;
}

/** Read access to a model's tensors, one tensor (or a row range) at a time. */
export interface Checkpoint {
  /** The file or directory opened. */
  readonly path: string;
  /** Every tensor, sorted by name; no data read. */
  readonly tensors: readonly TensorInfo[];
  /** `__metadata__` of every file, merged (the first file in name order wins a conflict). */
  readonly metadata: Readonly<Record<string, string>>;
  has(name: string): boolean;
  /** Throws `E_CHECKPOINT` naming the tensor when it does not exist. */
  info(name: string): TensorInfo;
  /** One positioned read of the tensor's bytes into a fresh buffer. */
  read(name: string): Promise<Tensor>;
  /**
   * Reads the tensor into the start of `buffer` (reused across calls, so no fresh pages
   * are faulted in) and returns a tensor viewing it. `buffer` must hold `byteLength`
   * bytes and start at a multiple of the element size. The view is overwritten by the
   * next read into the same buffer.
   */
  readInto(name: string, buffer: Uint8Array): Promise<Tensor>;
  /** Rows `[rowStart, rowEnd)` of dim 0: shape `[rowEnd - rowStart, ...rest]`. */
  readRows(name: string, rowStart: number, rowEnd: number): Promise<Tensor>;
  /** Every tensor in name order, read one at a time. */
  iterate(): AsyncGenerator<{ info: TensorInfo; tensor: Tensor }>;
  close(): Promise<void>;
}

/** Name of the index file of a sharded checkpoint. */
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';

async function openFile(path: string): Promise<Checkpoint> {
  return openSafetensors(await fileByteSource(path), path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Combines several files into one checkpoint; `owner` maps each tensor to its file. */
function combine(
  path: string,
  parts: readonly Checkpoint[],
  owner: ReadonlyMap<string, Checkpoint>,
): Checkpoint {
  const metadata: Record<string, string> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part.metadata)) {
      // defineProperty, not assignment: a key named "__proto__" must stay a plain entry.
      if (!Object.hasOwn(metadata, key))
        Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  const tensors = [...owner.entries()]
    .map(([name, part]) => part.info(name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const partOf = (name: string): Checkpoint => {
    const part = owner.get(name);
    if (!part)
      throw fail(
        'E_CHECKPOINT',
        `${path}: no tensor named '${name}' (the checkpoint has ${owner.size} tensors)`,
      );
    return part;
  };
  const checkpoint: Checkpoint = {
    path,
    tensors,
    metadata,
    has: (name) => owner.has(name),
    info: (name) => partOf(name).info(name),
    read: (name) => partOf(name).read(name),
    readInto: (name, buffer) => partOf(name).readInto(name, buffer),
    readRows: (name, rowStart, rowEnd) => partOf(name).readRows(name, rowStart, rowEnd),
    async *iterate() {
      for (const info of tensors) yield { info, tensor: await checkpoint.read(info.name) };
    },
    async close() {
      await Promise.all(parts.map((part) => part.close()));
    },
  };
  return checkpoint;
}

async function closeAll(parts: readonly Checkpoint[]): Promise<void> {
  await Promise.allSettled(parts.map((part) => part.close()));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function openIndexed(directory: string): Promise<Checkpoint> {
  const indexPath = join(directory, SAFETENSORS_INDEX_FILE);
  const { size } = await stat(indexPath);
  if (size > 100_000_000)
    throw fail('E_CHECKPOINT', `${indexPath}: index file is ${size} bytes, above the 100 MB limit`);
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch (error) {
    throw fail('E_CHECKPOINT', `${indexPath}: not valid JSON (${(error as Error).message})`, error);
  }
  if (!isPlainObject(index) || !isPlainObject(index.weight_map)) {
    throw fail(
      'E_CHECKPOINT',
      `${indexPath}: expected an object with a "weight_map" object of tensor name -> file`,
    );
  }
  const weightMap = index.weight_map;
  const files = new Set<string>();
  for (const [name, file] of Object.entries(weightMap)) {
    if (typeof file !== 'string' || file === '' || file !== basename(file) || file === '..' || file === '.') {
      throw fail(
        'E_CHECKPOINT',
        `${indexPath}: weight_map['${name}'] must be a file name in the same directory, got ${JSON.stringify(file)}`,
      );
    }
    files.add(file);
  }
  for (const file of files) {
    if (!(await exists(join(directory, file)))) {
      throw fail(
        'E_CHECKPOINT',
        `${indexPath}: shard ${file} listed in weight_map does not exist in ${directory}`,
      );
    }
  }
  const parts: Checkpoint[] = [];
  try {
    const byFile = new Map<string, Checkpoint>();
    for (const file of [...files].sort()) {
      const part = await openFile(join(directory, file));
      parts.push(part);
      byFile.set(file, part);
    }
    const owner = new Map<string, Checkpoint>();
    for (const [name, file] of Object.entries(weightMap)) {
      const part = byFile.get(file as string)!;
      if (!part.has(name)) {
        throw fail(
          'E_CHECKPOINT',
          `${indexPath}: weight_map puts tensor '${name}' in ${file as string}, but that file has no such tensor`,
        );
      }
      owner.set(name, part);
    }
    return combine(directory, parts, owner);
  } catch (error) {
    await closeAll(parts);
    throw error;
  }
}

async function openDirectory(directory: string): Promise<Checkpoint> {
  const files = (await readdir(directory))
    .filter((file) => file.endsWith('.safetensors') && !file.startsWith('.'))
    .sort();
  if (files.length === 0) {
    throw fail(
      'E_CHECKPOINT',
      `${directory}: no .safetensors files and no ${SAFETENSORS_INDEX_FILE}; pass a .safetensors file or a model directory`,
    );
  }
  const parts: Checkpoint[] = [];
  try {
    const owner = new Map<string, Checkpoint>();
    for (const file of files) {
      const part = await openFile(join(directory, file));
      parts.push(part);
      for (const { name } of part.tensors) {
        const previous = owner.get(name);
        if (previous) {
          throw fail(
            'E_CHECKPOINT',
            `${directory}: tensor '${name}' is in both ${basename(previous.path)} and ${file}; keep one copy`,
          );
        }
        owner.set(name, part);
      }
    }
    return combine(directory, parts, owner);
  } catch (error) {
    await closeAll(parts);
    throw error;
  }
}

/**
 * Opens `file.safetensors`, a sharded directory (`model.safetensors.index.json`) or a
 * directory of `.safetensors` files. Every header is validated; no tensor data is read.
 */
export async function openCheckpoint(path: string): Promise<Checkpoint> {
  let kind: 'file' | 'directory';
  try {
    const stats = await stat(path);
    kind = stats.isDirectory() ? 'directory' : 'file';
  } catch (error) {
    throw fail('E_CHECKPOINT', `${path}: no such file or directory`, error);
  }
  try {
    if (kind === 'file') return await openFile(path);
    if (await exists(join(path, SAFETENSORS_INDEX_FILE))) return await openIndexed(path);
    return await openDirectory(path);
  } catch (error) {
    if (ModelsmithError.isInstance(error)) throw error;
    throw fail('E_CHECKPOINT', `${path}: ${(error as Error).message}`, error);
  }
}
