import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromFloat32, openCheckpoint, toFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { emrTaskTensor } from '../src/beyond/emr-merge.js';
import { emrMergeCheckpoints } from '../src/beyond/emr-merge-checkpoints.js';
import { removeTempDirectories, tempDirectory } from './fixtures.js';
import { expectClose } from './helpers.js';

afterAll(removeTempDirectories);

describe('emrMergeCheckpoints', () => {
  it('writes the unified model, BOOL masks and model-wide rescalers (hand-worked)', async () => {
    const root = tempDirectory('emr-');
    const write = async (name: string, a: number[], b: number[]) => {
      const path = join(root, `${name}.safetensors`);
      await writeSafetensorsFile(path, {
        a: fromFloat32(Float32Array.from(a), 'F32', [3]),
        b: fromFloat32(Float32Array.from(b), 'F32', [1]),
      });
      return path;
    };
    const base = await write('base', [0, 0, 0], [0]);
    const m0 = await write('m0', [1, -2, 0], [2]);
    const m1 = await write('m1', [3, 1, -1], [4]);
    const out = join(root, 'out');
    const { rescalers } = await emrMergeCheckpoints({ base, models: [m0, m1], outputDirectory: out });
    // tensor a as in the per-tensor test; tensor b: σ = +, magnitude 4, both masks on.
    // λ₀ = (1 + 2 + 2)/(3 + 2 + 4) = 5/9; λ₁ = (3 + 1 + 1 + 4)/(3 + 1 + 4) = 9/8
    expectClose(rescalers, [5 / 9, 9 / 8], 1e-12);
    expect(JSON.parse(readFileSync(join(out, 'emr.json'), 'utf8')).rescalers).toEqual(rescalers);
    const unified = await openCheckpoint(join(out, 'unified'));
    const mask1 = await openCheckpoint(join(out, 'masks', 'task-1'));
    const u = toFloat32(await unified.read('a'));
    expectClose(u, [3, -2, -1]);
    const m = (await mask1.read('a')).data as Uint8Array;
    expect(Array.from(m)).toEqual([1, 0, 1]);
    expectClose(emrTaskTensor(new Float32Array(3), u, m, rescalers[1]!), [3.375, 0, -1.125], 1e-6);
    await unified.close();
    await mask1.close();
  });
});
