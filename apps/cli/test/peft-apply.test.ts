import { join } from 'node:path';
import {
  fromFloat32,
  openCheckpoint,
  tensorBytes,
  toFloat32,
  writeSafetensorsFile,
} from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { peftFixture, values } from './peft-fixture.js';
import { runCli } from './run-cli.js';

describe('modelsmith peft apply', () => {
  it('writes W + scale·s·B·A and copies the rest bit for bit', async () => {
    const dir = await peftFixture();
    const { code, stdout } = await runCli(
      [
        'peft',
        'apply',
        '--base',
        'base.safetensors',
        '--adapter',
        'lora',
        '-o',
        'out',
        '--scale',
        '0.5',
        '--json',
      ],
      dir,
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.merged).toEqual(['fc.weight']);
    expect(result.copied).toBe(1);
    const out = await openCheckpoint(join(dir, 'out'));
    const base = await openCheckpoint(join(dir, 'base.safetensors'));
    const w = toFloat32(await base.read('fc.weight'));
    // Hand-worked delta: 0.5·2·B·A = [[1,0,2],[0,0,0],[-1,0,-2],[2,0,4]].
    const delta = [1, 0, 2, 0, 0, 0, -1, 0, -2, 2, 0, 4];
    expect(Array.from(toFloat32(await out.read('fc.weight')))).toEqual(
      Array.from(w, (v, i) => Math.fround(v + delta[i]!)),
    );
    expect(
      Buffer.from(tensorBytes(await out.read('fc.bias'))).equals(
        Buffer.from(tensorBytes(await base.read('fc.bias'))),
      ),
    ).toBe(true);
    await out.close();
    await base.close();
  });

  it('exits 2 naming the tensor when shapes disagree, and on missing flags', async () => {
    const dir = await peftFixture();
    await writeSafetensorsFile(join(dir, 'other.safetensors'), {
      'fc.weight': fromFloat32(values(10, 1), 'F32', [5, 2]),
    });
    const bad = await runCli(
      ['peft', 'apply', '--base', 'other.safetensors', '--adapter', 'lora', '-o', 'out'],
      dir,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/base tensor "fc\.weight" is \[5, 2\]/);
    const missing = await runCli(['peft', 'apply', '--base', 'base.safetensors', '-o', 'out'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--adapter/);
  });
});
