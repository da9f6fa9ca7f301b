import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelsmithError } from '../errors/modelsmith-error.js';
import { createTensor } from '../tensor.js';
import { openCheckpoint } from './checkpoint.js';
import { serializeSafetensors } from './safetensors-bytes.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ms-checkpoint-'));
}

async function failure(path: string): Promise<ModelsmithError> {
  const error = await openCheckpoint(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ModelsmithError.isInstance(error)).toBe(true);
  return error as ModelsmithError;
}

const a = createTensor('F32', [2], Float32Array.of(1, 2));
const b = createTensor('I32', [1, 2], Int32Array.of(3, 4));

describe('openCheckpoint', () => {
  it('opens a directory of .safetensors files and merges their metadata', async () => {
    const directory = tempDir();
    writeFileSync(join(directory, 'one.safetensors'), serializeSafetensors({ a }, { k: 'one', only1: 'x' }));
    writeFileSync(join(directory, 'two.safetensors'), serializeSafetensors({ b }, { k: 'two' }));
    writeFileSync(join(directory, 'README.md'), 'not a tensor file');
    const checkpoint = await openCheckpoint(directory);
    expect(checkpoint.tensors).toEqual([
      { name: 'a', dtype: 'F32', shape: [2], byteLength: 8 },
      { name: 'b', dtype: 'I32', shape: [1, 2], byteLength: 8 },
    ]);
    expect(checkpoint.metadata).toEqual({ k: 'one', only1: 'x' });
    expect(checkpoint.has('b')).toBe(true);
    expect(checkpoint.info('b').shape).toEqual([1, 2]);
    expect(() => checkpoint.info('c')).toThrow(/no tensor named 'c'/);
    expect([...(await checkpoint.readRows('b', 0, 1)).data]).toEqual([3, 4]);
    // readInto reuses one buffer: each tensor is a view of its first bytes.
    const buffer = new Uint8Array(16);
    const first = await checkpoint.readInto('a', buffer);
    expect(first.data.buffer).toBe(buffer.buffer);
    expect([...first.data]).toEqual([1, 2]);
    expect([...(await checkpoint.readInto('b', buffer)).data]).toEqual([3, 4]);
    await expect(checkpoint.readInto('a', new Uint8Array(4))).rejects.toThrow(
      /needs a buffer of at least 8 bytes/,
    );
    await expect(checkpoint.readInto('a', new Uint8Array(16).subarray(2))).rejects.toThrow(/multiple of 4/);
    const names: string[] = [];
    for await (const { info, tensor } of checkpoint.iterate())
      names.push(`${info.name}:${tensor.data.length}`);
    expect(names).toEqual(['a:2', 'b:2']);
    await checkpoint.close();
  });

  it('refuses a tensor stored in two files, naming both', async () => {
    const directory = tempDir();
    writeFileSync(join(directory, 'one.safetensors'), serializeSafetensors({ a }));
    writeFileSync(join(directory, 'two.safetensors'), serializeSafetensors({ a, b }));
    const error = await failure(directory);
    expect(error.code).toBe('E_CHECKPOINT');
    expect(error.message).toMatch(/tensor 'a' is in both one.safetensors and two.safetensors/);
  });

  it('follows model.safetensors.index.json and checks it', async () => {
    const directory = tempDir();
    writeFileSync(join(directory, 's1.safetensors'), serializeSafetensors({ a }));
    writeFileSync(join(directory, 's2.safetensors'), serializeSafetensors({ b }));
    const index = (weightMap: Record<string, string>) =>
      writeFileSync(
        join(directory, 'model.safetensors.index.json'),
        JSON.stringify({ metadata: { total_size: 16 }, weight_map: weightMap }),
      );

    index({ a: 's1.safetensors', b: 's2.safetensors' });
    const checkpoint = await openCheckpoint(directory);
    expect(checkpoint.tensors.map((t) => t.name)).toEqual(['a', 'b']);
    expect([...(await checkpoint.read('b')).data]).toEqual([3, 4]);
    await checkpoint.close();

    index({ a: 's1.safetensors', b: 'missing.safetensors' });
    expect((await failure(directory)).message).toMatch(
      /shard missing.safetensors listed in weight_map does not exist/,
    );
    index({ a: 's1.safetensors', b: 's1.safetensors' });
    expect((await failure(directory)).message).toMatch(
      /puts tensor 'b' in s1.safetensors, but that file has no such tensor/,
    );
    index({ a: '../s1.safetensors' });
    expect((await failure(directory)).message).toMatch(/must be a file name in the same directory/);
    writeFileSync(join(directory, 'model.safetensors.index.json'), '{"weight_map": [');
    expect((await failure(directory)).message).toMatch(/not valid JSON/);
  });

  it('reports missing paths, empty directories and corrupt files with the path', async () => {
    const directory = tempDir();
    expect((await failure(join(directory, 'nope.safetensors'))).message).toMatch(
      /nope.safetensors: no such file or directory/,
    );
    mkdirSync(join(directory, 'empty'));
    expect((await failure(join(directory, 'empty'))).message).toMatch(/no .safetensors files/);
    writeFileSync(join(directory, 'bad.safetensors'), 'garbage!garbage!');
    const error = await failure(join(directory, 'bad.safetensors'));
    expect(error.code).toBe('E_SAFETENSORS_HEADER');
    expect(error.message).toContain('bad.safetensors');
  });
});
