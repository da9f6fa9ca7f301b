import { mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DTYPES } from '../dtype.js';
import { parseOptions } from '../errors/invalid-options-error.js';
import { createErrorFactory, ModelsmithError } from '../errors/modelsmith-error.js';
import { numelOf, type Tensor, tensorBytes } from '../tensor.js';
import { SAFETENSORS_INDEX_FILE } from './checkpoint.js';
import { planSafetensorsLayout, specByteLength, type TensorSpec } from './safetensors-layout.js';

const fail = createErrorFactory('core-tensor');

/** Writes a checkpoint whose tensors are declared up front and produced in any order. */
export interface CheckpointWriter {
  /** Writes a whole tensor; its dtype and shape must equal the spec. */
  write(name: string, tensor: Tensor): Promise<void>;
  /** Writes dim-0 rows `[rowStart, rowStart + rows.shape[0])`; chunks may come in any order but must not overlap. */
  writeRows(name: string, rowStart: number, rows: Tensor): Promise<void>;
  /** Checks every tensor is complete, then renames the files into place. */
  finish(): Promise<{ files: string[]; totalSize: number }>;
  /** Removes every temporary file. Safe to call more than once, and after a failure. */
  abort(): Promise<void>;
}

export interface CheckpointWriterOptions {
  /** Output directory (created if missing). */
  directory: string;
  /** Every tensor that will be written, in the order shards are filled. */
  specs: readonly TensorSpec[];
  /** Largest shard in bytes of tensor data (default 5e9); a larger tensor gets a shard of its own. */
  maxShardBytes?: number;
  /** `__metadata__` written into every file. */
  metadata?: Record<string, string>;
  /** Replace existing output files. */
  force?: boolean;
  /** File name when everything fits in one file (default `model.safetensors`). */
  fileName?: string;
}

const checkpointWriterOptions = z.object({
  directory: z.string().min(1),
  specs: z.array(
    z.object({
      name: z
        .string()
        .min(1)
        .refine((name) => name !== '__metadata__', "'__metadata__' is reserved"),
      dtype: z.enum(DTYPES),
      shape: z.array(z.number().int().nonnegative()),
    }),
  ),
  maxShardBytes: z.number().int().positive().default(5e9),
  metadata: z.record(z.string(), z.string()).optional(),
  force: z.boolean().default(false),
  fileName: z
    .string()
    .regex(/^[^/\\]+\.safetensors$/, 'a plain file name ending in .safetensors')
    .default('model.safetensors'),
});

interface Slot {
  readonly spec: TensorSpec;
  readonly shard: number;
  readonly offset: number; // file offset of the tensor's first byte
  readonly byteLength: number;
  readonly rows: number;
  rowsWritten: number;
  rowMap: Uint8Array | undefined; // which dim-0 rows are written, for row-chunked writes
  whole: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function shardName(index: number, count: number): string {
  const width = 5;
  return `model-${String(index + 1).padStart(width, '0')}-of-${String(count).padStart(width, '0')}.safetensors`;
}

/** `model.safetensors.index.json` as huggingface_hub writes it: indent 2, keys sorted, trailing newline. */
function indexJson(totalSize: number, weightMap: readonly [string, string][]): string {
  const sorted = [...weightMap].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = sorted.map(
    ([name, file], i) =>
      `    ${JSON.stringify(name)}: ${JSON.stringify(file)}${i < sorted.length - 1 ? ',' : ''}`,
  );
  return [
    '{',
    '  "metadata": {',
    `    "total_size": ${totalSize}`,
    '  },',
    '  "weight_map": {',
    ...lines,
    '  }',
    '}',
    '',
  ].join('\n');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/**
 * Plans shards by byte size from the specs, writes each tensor's bytes as they are
 * produced with positioned writes into temporary files inside a hidden directory in
 * `directory`, and renames them into place only in `finish()`. An error or `abort()`
 * removes the temporaries, so nothing that looks like a complete checkpoint is left.
 */
export async function createCheckpointWriter(options: CheckpointWriterOptions): Promise<CheckpointWriter> {
  const parsed = parseOptions('core-tensor', 'checkpoint writer options', checkpointWriterOptions, options);
  const { directory, maxShardBytes, force, fileName } = parsed;
  const specs: TensorSpec[] = parsed.specs;
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name))
      throw fail('E_CHECKPOINT', `tensor '${spec.name}' appears twice in the writer specs`);
    seen.add(spec.name);
    numelOf(spec.shape);
  }

  // Greedy fill in spec order, like huggingface_hub's split_state_dict_into_shards.
  const shards: TensorSpec[][] = [];
  let current: TensorSpec[] = [];
  let currentBytes = 0;
  for (const spec of specs) {
    const size = specByteLength(spec);
    if (current.length > 0 && currentBytes + size > maxShardBytes) {
      shards.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(spec);
    currentBytes += size;
  }
  if (current.length > 0 || shards.length === 0) shards.push(current);
  const sharded = shards.length > 1;
  const names = shards.map((_, i) => (sharded ? shardName(i, shards.length) : fileName));
  const finals = names.map((name) => join(directory, name));
  const indexPath = join(directory, SAFETENSORS_INDEX_FILE);

  const conflicts: string[] = [];
  for (const path of [...finals, indexPath]) if (await exists(path)) conflicts.push(path);
  if (conflicts.length > 0 && !force) {
    throw fail(
      'E_OUTPUT_EXISTS',
      `${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''}; pass force (--force) to overwrite`,
    );
  }

  let temporary: string;
  try {
    await mkdir(directory, { recursive: true });
    temporary = await mkdtemp(join(directory, '.modelsmith-partial-'));
  } catch (error) {
    throw fail('E_IO', `cannot create the output directory ${directory}: ${(error as Error).message}`, error);
  }
  const temporaries = names.map((name) => join(temporary, `.${name}.partial`));
  const handles: Awaited<ReturnType<typeof open>>[] = [];
  const slots = new Map<string, Slot>();
  let state: 'open' | 'finished' | 'aborted' = 'open';
  const pending = new Set<Promise<void>>();

  const abort = async (): Promise<void> => {
    if (state !== 'open') return;
    state = 'aborted';
    // In-flight writes are not awaited (one of them may be the caller); closing fails them.
    await Promise.allSettled(handles.map((handle) => handle.close()));
    await rm(temporary, { recursive: true, force: true });
  };

  const io = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      await abort();
      if (ModelsmithError.isInstance(error)) throw error;
      throw fail(
        'E_IO',
        `${what} in ${directory}: ${(error as Error).message}; the partial output was removed`,
        error,
      );
    }
  };

  await io('cannot create the output files', async () => {
    for (let s = 0; s < shards.length; s++) {
      const layout = planSafetensorsLayout(shards[s]!, parsed.metadata);
      const handle = await open(temporaries[s]!, 'w');
      handles.push(handle);
      await handle.write(layout.header, 0, layout.header.byteLength, 0);
      for (const entry of layout.order) {
        const rows = entry.shape[0] ?? 1;
        slots.set(entry.name, {
          spec: entry,
          shard: s,
          offset: layout.dataStart + entry.begin,
          byteLength: entry.end - entry.begin,
          rows,
          rowsWritten: 0,
          rowMap: undefined,
          whole: false,
        });
      }
    }
  });

  const slotOf = (name: string): Slot => {
    if (state !== 'open')
      throw fail('E_CHECKPOINT', `checkpoint writer for ${directory} is already ${state}`);
    const slot = slots.get(name);
    if (!slot)
      throw fail(
        'E_CHECKPOINT',
        `tensor '${name}' is not in the writer specs; declare every tensor up front`,
      );
    return slot;
  };

  const writeAt = (slot: Slot, bytes: Uint8Array, position: number): Promise<void> => {
    const task = io(`cannot write tensor '${slot.spec.name}'`, async () => {
      const handle = handles[slot.shard]!;
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done, position + done);
        done += bytesWritten;
      }
    });
    pending.add(task);
    return task.finally(() => pending.delete(task));
  };

  return {
    async write(name, tensor) {
      const slot = slotOf(name);
      const { spec } = slot;
      if (tensor.dtype !== spec.dtype || !sameShape(tensor.shape, spec.shape)) {
        throw fail(
          'E_SHAPE_MISMATCH',
          `tensor '${name}' is ${tensor.dtype} [${tensor.shape.join(', ')}] but its spec is ${spec.dtype} [${spec.shape.join(', ')}]`,
        );
      }
      if (slot.whole || slot.rowsWritten > 0)
        throw fail('E_CHECKPOINT', `tensor '${name}' was already written`);
      const bytes = tensorBytes(tensor);
      if (bytes.byteLength !== slot.byteLength) {
        throw fail(
          'E_SHAPE_MISMATCH',
          `tensor '${name}' has ${bytes.byteLength} bytes of data, its spec needs ${slot.byteLength}`,
        );
      }
      slot.whole = true;
      await writeAt(slot, bytes, slot.offset);
    },

    async writeRows(name, rowStart, rows) {
      const slot = slotOf(name);
      const { spec } = slot;
      const count = rows.shape[0];
      if (
        spec.shape.length === 0 ||
        rows.dtype !== spec.dtype ||
        count === undefined ||
        !sameShape(rows.shape.slice(1), spec.shape.slice(1))
      ) {
        throw fail(
          'E_SHAPE_MISMATCH',
          `rows for tensor '${name}' are ${rows.dtype} [${rows.shape.join(', ')}], need ${spec.dtype} [n, ${spec.shape.slice(1).join(', ')}]`,
        );
      }
      if (!Number.isSafeInteger(rowStart) || rowStart < 0 || rowStart + count > slot.rows) {
        throw fail(
          'E_CHECKPOINT',
          `rows [${rowStart}, ${rowStart + count}) of tensor '${name}' are outside [0, ${slot.rows}]`,
        );
      }
      if (slot.whole) throw fail('E_CHECKPOINT', `tensor '${name}' was already written`);
      slot.rowMap ??= new Uint8Array(slot.rows);
      for (let r = rowStart; r < rowStart + count; r++) {
        if (slot.rowMap[r] === 1)
          throw fail('E_CHECKPOINT', `row ${r} of tensor '${name}' was already written`);
      }
      slot.rowMap.fill(1, rowStart, rowStart + count);
      slot.rowsWritten += count;
      const rowBytes = slot.rows === 0 ? 0 : slot.byteLength / slot.rows;
      await writeAt(slot, tensorBytes(rows), slot.offset + rowStart * rowBytes);
    },

    async finish() {
      if (state !== 'open')
        throw fail('E_CHECKPOINT', `checkpoint writer for ${directory} is already ${state}`);
      await Promise.all([...pending]);
      // A zero-size tensor has no bytes to write and is complete as declared.
      const missing = [...slots.values()]
        .filter((slot) => slot.byteLength > 0 && !slot.whole && slot.rowsWritten !== slot.rows)
        .map((slot) => slot.spec.name);
      if (missing.length > 0) {
        const shown = missing
          .slice(0, 5)
          .map((name) => `'${name}'`)
          .join(', ');
        throw fail(
          'E_CHECKPOINT',
          `cannot finish ${directory}: ${missing.length} tensor(s) not fully written: ${shown}${missing.length > 5 ? ', ...' : ''} (call abort() to discard)`,
        );
      }
      const totalSize = [...slots.values()].reduce((sum, slot) => sum + slot.byteLength, 0);
      const renamed: string[] = [];
      await io('cannot complete the output', async () => {
        await Promise.all(handles.map((handle) => handle.sync()));
        await Promise.all(handles.map((handle) => handle.close()));
        handles.length = 0;
        if (sharded) {
          const weightMap = [...slots.values()].map((slot): [string, string] => [
            slot.spec.name,
            names[slot.shard]!,
          ]);
          const temporaryIndex = join(temporary, `.${SAFETENSORS_INDEX_FILE}.partial`);
          const handle = await open(temporaryIndex, 'w');
          try {
            await handle.writeFile(indexJson(totalSize, weightMap));
            await handle.sync();
          } finally {
            await handle.close();
          }
          // The index goes first: until the last shard is renamed, the index names a missing file, so a reader refuses it.
          await rename(temporaryIndex, indexPath);
          renamed.push(indexPath);
        } else if (force && fileName === 'model.safetensors') {
          // A stale index from an earlier sharded output would shadow the new single file.
          await rm(indexPath, { force: true });
        }
        for (let s = 0; s < names.length; s++) {
          await rename(temporaries[s]!, finals[s]!);
          renamed.push(finals[s]!);
        }
        await rm(temporary, { recursive: true, force: true });
      }).catch(async (error: unknown) => {
        // A half-renamed output must not survive either.
        await Promise.allSettled(renamed.map((path) => rm(path, { force: true })));
        throw error;
      });
      state = 'finished';
      return { files: sharded ? [...finals, indexPath] : [...finals], totalSize };
    },

    abort,
  };
}
