import { join } from 'node:path';
import { createCheckpointWriter, fromFloat32, openCheckpoint, toFloat32 } from '@modelsmith/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';
import { mergeCheckpoints } from '../src/execute/merge-checkpoints.js';
import { removeTempDirectories, tempDirectory } from './fixtures.js';
import { expectClose, pseudoRandom } from './helpers.js';

afterAll(removeTempDirectories);

describe('input layouts', () => {
  it('merges a sharded directory, a single .safetensors file and an F16 input together', async () => {
    const root = tempDirectory('layouts-');
    const names = ['a.weight', 'b.weight', 'c.bias'];
    const shapes: Record<string, number[]> = { 'a.weight': [8, 4], 'b.weight': [6, 4], 'c.bias': [4] };
    const values = (seed: number) =>
      Object.fromEntries(
        names.map((n, i) => [
          n,
          pseudoRandom(
            shapes[n]!.reduce((x, y) => x * y, 1),
            seed + i,
          ),
        ]),
      );
    const write = async (
      directory: string,
      seed: number,
      dtype: 'BF16' | 'F16',
      maxShardBytes: number,
      fileName?: string,
    ) => {
      const set = values(seed);
      const writer = await createCheckpointWriter({
        directory,
        specs: names.map((name) => ({ name, dtype, shape: shapes[name]! })),
        maxShardBytes,
        ...(fileName ? { fileName } : {}),
      });
      for (const name of names) await writer.write(name, fromFloat32(set[name]!, dtype, shapes[name]!));
      return { files: (await writer.finish()).files, set };
    };
    const sharded = await write(join(root, 'sharded'), 1, 'BF16', 40);
    expect(sharded.files.length).toBeGreaterThan(2);
    await write(join(root, 'single'), 2, 'BF16', 1e9, 'one.safetensors');
    await write(join(root, 'half'), 3, 'F16', 1e9);
    const config = parseMergeConfig(
      `merge_method: linear
models:
  - {model: sharded, parameters: {weight: 1}}
  - {model: single/one.safetensors, parameters: {weight: 1}}
  - {model: half, parameters: {weight: 2}}
out_dtype: float32
`,
      { baseDirectory: root },
    );
    const out = join(root, 'out');
    await mergeCheckpoints(config, { outputDirectory: out });
    const merged = await openCheckpoint(out);
    const read = async (dir: string, name: string) => {
      const c = await openCheckpoint(dir);
      const t = toFloat32(await c.read(name));
      await c.close();
      return t;
    };
    for (const name of names) {
      const a = await read(join(root, 'sharded'), name);
      const b = await read(join(root, 'single', 'one.safetensors'), name);
      const c = await read(join(root, 'half'), name);
      expectClose(
        toFloat32(await merged.read(name)),
        a.map((x, i) => (x + b[i]! + 2 * c[i]!) / 4),
        1e-6,
      );
      expect(merged.info(name).dtype).toBe('F32');
    }
    await merged.close();
  });
});
