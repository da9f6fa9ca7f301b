import { join } from 'node:path';
import { fromFloat32, openCheckpoint, toFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fisherMerge } from '../src/beyond/fisher-merge.js';
import { fisherMergeCheckpoints } from '../src/beyond/fisher-merge-checkpoints.js';
import { removeTempDirectories, tempDirectory } from './fixtures.js';
import { expectClose, pseudoRandom } from './helpers.js';

afterAll(removeTempDirectories);

describe('fisherMergeCheckpoints', () => {
  it('streams the same result as the in-memory fisherMerge (row chunks, normalised Fishers)', async () => {
    const root = tempDirectory('fisher-');
    const sets = [0, 1].map((j) => ({ w: pseudoRandom(24, 10 + j), b: pseudoRandom(4, 20 + j) }));
    const fishers = [0, 1].map((j) => ({
      w: pseudoRandom(24, 30 + j).map(Math.abs),
      b: pseudoRandom(4, 40 + j).map(Math.abs),
    }));
    const write = async (name: string, set: Record<string, Float32Array>) => {
      const path = join(root, `${name}.safetensors`);
      await writeSafetensorsFile(path, {
        w: fromFloat32(set.w!, 'F32', [6, 4]),
        b: fromFloat32(set.b!, 'F32', [4]),
      });
      return path;
    };
    const models = [await write('m0', sets[0]!), await write('m1', sets[1]!)];
    const fisherPaths = [await write('f0', fishers[0]!), await write('f1', fishers[1]!)];
    const out = join(root, 'out');
    await fisherMergeCheckpoints({
      models,
      fishers: fisherPaths,
      outputDirectory: out,
      lambdas: [1, 2],
      chunkElements: 8,
    });
    const expected = fisherMerge(sets, fishers, { lambdas: [1, 2] });
    const checkpoint = await openCheckpoint(out);
    expectClose(toFloat32(await checkpoint.read('w')), expected.w!, 1e-6);
    expectClose(toFloat32(await checkpoint.read('b')), expected.b!, 1e-6);
    expect(checkpoint.metadata['modelsmith.merge.method']).toBe('fisher');
    await checkpoint.close();
    await expect(
      fisherMergeCheckpoints({ models, fishers: [fisherPaths[0]!], outputDirectory: join(root, 'x') }),
    ).rejects.toThrow(/2 models but 1 Fisher/);
  });
});
