import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelsmithError } from '../errors/modelsmith-error.js';
import { createTensor } from '../tensor.js';
import { openCheckpoint } from './checkpoint.js';
import { createCheckpointWriter } from './checkpoint-writer.js';
import { serializeSafetensors } from './safetensors-bytes.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ms-writer-'));
}

const weight = createTensor(
  'F32',
  [4, 3],
  Float32Array.from({ length: 12 }, (_, i) => i - 5.5),
);
const bias = createTensor('BF16', [3], Uint16Array.of(0x3f80, 0x4000, 0xc040));
const flags = createTensor('BOOL', [5], Uint8Array.of(1, 0, 1, 1, 0));
const specs = [
  { name: 'weight', dtype: 'F32', shape: [4, 3] },
  { name: 'bias', dtype: 'BF16', shape: [3] },
  { name: 'flags', dtype: 'BOOL', shape: [5] },
] as const;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ModelsmithError.isInstance(error)).toBe(true);
  return (error as ModelsmithError).code;
}

describe('createCheckpointWriter', () => {
  it('writes a single file byte for byte like serializeSafetensors, visible only after finish()', async () => {
    const directory = join(tempDir(), 'out');
    const writer = await createCheckpointWriter({ directory, specs, metadata: { format: 'pt' } });
    await writer.write('flags', flags);
    await writer.write('weight', weight);
    expect(readdirSync(directory).filter((name) => !name.startsWith('.'))).toEqual([]);
    await writer.write('bias', bias);
    const result = await writer.finish();
    expect(result).toEqual({ files: [join(directory, 'model.safetensors')], totalSize: 48 + 6 + 5 });
    expect(readdirSync(directory)).toEqual(['model.safetensors']);
    const expected = serializeSafetensors({ weight, bias, flags }, { format: 'pt' });
    expect(new Uint8Array(readFileSync(join(directory, 'model.safetensors')))).toEqual(expected);
  });

  it('plans shards by byte size and writes an index huggingface_hub can read', async () => {
    const directory = tempDir();
    // 48 + 6 + 5 bytes with a 50-byte limit: weight alone, then bias + flags.
    const writer = await createCheckpointWriter({ directory, specs, maxShardBytes: 50 });
    await writer.write('bias', bias);
    await writer.write('flags', flags);
    await writer.write('weight', weight);
    const { files, totalSize } = await writer.finish();
    expect(files.map((file) => file.slice(directory.length + 1))).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
    ]);
    expect(totalSize).toBe(59);
    const index = JSON.parse(readFileSync(join(directory, 'model.safetensors.index.json'), 'utf8'));
    expect(index).toEqual({
      metadata: { total_size: 59 },
      weight_map: {
        bias: 'model-00002-of-00002.safetensors',
        flags: 'model-00002-of-00002.safetensors',
        weight: 'model-00001-of-00002.safetensors',
      },
    });
    const checkpoint = await openCheckpoint(directory);
    expect(checkpoint.tensors.map((t) => t.name)).toEqual(['bias', 'flags', 'weight']);
    expect([...(await checkpoint.read('weight')).data]).toEqual([...weight.data]);
    expect([...(await checkpoint.read('bias')).data]).toEqual([...bias.data]);
    await checkpoint.close();
  });

  it('accepts row chunks in any order and refuses overlaps', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({ directory, specs: [specs[0]] });
    const rows = (start: number, end: number) =>
      createTensor('F32', [end - start, 3], (weight.data as Float32Array).slice(start * 3, end * 3));
    await writer.writeRows('weight', 2, rows(2, 4));
    await expect(writer.writeRows('weight', 1, rows(1, 3))).rejects.toThrow(
      /row 2 of tensor 'weight' was already written/,
    );
    await expect(writer.finish()).rejects.toThrow(/1 tensor\(s\) not fully written: 'weight'/);
    await writer.writeRows('weight', 0, rows(0, 2));
    await writer.finish();
    const checkpoint = await openCheckpoint(join(directory, 'model.safetensors'));
    expect([...(await checkpoint.read('weight')).data]).toEqual([...weight.data]);
    await checkpoint.close();
  });

  it('checks dtype, shape and names against the specs', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({ directory, specs });
    expect(await codeOf(writer.write('weight', createTensor('F32', [3, 4])))).toBe('E_SHAPE_MISMATCH');
    expect(await codeOf(writer.write('bias', createTensor('F16', [3])))).toBe('E_SHAPE_MISMATCH');
    expect(await codeOf(writer.write('other', bias))).toBe('E_CHECKPOINT');
    expect(await codeOf(writer.writeRows('weight', 3, createTensor('F32', [2, 3])))).toBe('E_CHECKPOINT');
    expect(await codeOf(writer.writeRows('weight', 0, createTensor('F32', [1, 4])))).toBe('E_SHAPE_MISMATCH');
    await writer.write('bias', bias);
    expect(await codeOf(writer.write('bias', bias))).toBe('E_CHECKPOINT');
    await writer.abort();
  });

  it('leaves nothing behind after abort()', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({ directory, specs, maxShardBytes: 50 });
    await writer.write('weight', weight);
    await writer.abort();
    await writer.abort();
    expect(readdirSync(directory)).toEqual([]);
    expect(await codeOf(writer.write('bias', bias))).toBe('E_CHECKPOINT');
  });

  it('removes everything when finishing fails, leaving nothing that looks complete', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({ directory, specs, maxShardBytes: 50 });
    await writer.write('weight', weight);
    await writer.write('bias', bias);
    await writer.write('flags', flags);
    // Pull the temporary directory away so the renames in finish() fail.
    const [partial] = readdirSync(directory);
    expect(partial).toMatch(/^\.modelsmith-partial-/);
    rmSync(join(directory, partial!), { recursive: true });
    expect(await codeOf(writer.finish())).toBe('E_IO');
    expect(readdirSync(directory)).toEqual([]);
    expect(await codeOf(writer.finish())).toBe('E_CHECKPOINT'); // the writer is aborted
  });

  it('refuses existing output unless force, and then replaces it', async () => {
    const directory = tempDir();
    writeFileSync(join(directory, 'model.safetensors'), 'old');
    expect(await codeOf(createCheckpointWriter({ directory, specs }))).toBe('E_OUTPUT_EXISTS');
    writeFileSync(join(directory, 'model.safetensors.index.json'), '{}');
    const writer = await createCheckpointWriter({ directory, specs: [specs[1]], force: true });
    await writer.write('bias', bias);
    await writer.finish();
    // The stale index would shadow the new single file, so it is removed.
    expect(readdirSync(directory)).toEqual(['model.safetensors']);
  });

  it('validates its options and specs', async () => {
    const directory = tempDir();
    expect(
      await codeOf(
        createCheckpointWriter({ directory, specs: [{ name: 'a', dtype: 'F33' as 'F32', shape: [1] }] }),
      ),
    ).toBe('E_INVALID_OPTIONS');
    expect(
      await codeOf(createCheckpointWriter({ directory, specs: [{ name: 'a', dtype: 'F32', shape: [-1] }] })),
    ).toBe('E_INVALID_OPTIONS');
    expect(await codeOf(createCheckpointWriter({ directory, specs: [specs[1], specs[1]] }))).toBe(
      'E_CHECKPOINT',
    );
    expect(await codeOf(createCheckpointWriter({ directory, specs, fileName: '../x.safetensors' }))).toBe(
      'E_INVALID_OPTIONS',
    );
    expect(readdirSync(directory)).toEqual([]);
    writeFileSync(join(directory, 'a-file'), '');
    expect(await codeOf(createCheckpointWriter({ directory: join(directory, 'a-file', 'out'), specs }))).toBe(
      'E_IO',
    );
  });

  it('writes zero-size and scalar tensors, and an empty checkpoint', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({
      directory,
      specs: [
        { name: 'empty', dtype: 'F32', shape: [0, 3] },
        { name: 'scalar', dtype: 'I64', shape: [] },
      ],
    });
    await writer.write('scalar', createTensor('I64', [], BigInt64Array.of(-7n)));
    await writer.finish();
    const checkpoint = await openCheckpoint(directory);
    expect((await checkpoint.read('empty')).shape).toEqual([0, 3]);
    expect([...(await checkpoint.read('scalar')).data]).toEqual([-7n]);
    await checkpoint.close();

    const none = tempDir();
    await (await createCheckpointWriter({ directory: none, specs: [] })).finish();
    expect(new Uint8Array(readFileSync(join(none, 'model.safetensors')))).toEqual(serializeSafetensors({}));
  });
});
