import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { floatTensor, loadAdapter, parseLoraConfig, saveAdapter } from '@modelsmith/peft';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const values = (n: number, offset: number) =>
  Float32Array.from({ length: n }, (_, i) => ((i * 7 + offset) % 11) / 8 - 0.5);

async function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'peft-cli-'));
  await writeSafetensorsFile(join(dir, 'base.safetensors'), {
    'fc.weight': fromFloat32(values(12, 1), 'F32', [4, 3]),
    'fc.bias': fromFloat32(values(4, 2), 'BF16', [4]),
  });
  // B·A with A = [[1, 0, 2]] (r = 1), B = [[1], [0], [-1], [2]], alpha = 2 → scaling 2.
  await saveAdapter(join(dir, 'lora'), {
    config: parseLoraConfig({ peft_type: 'LORA', r: 1, lora_alpha: 2, target_modules: ['fc'] }),
    modules: new Map([
      [
        'fc',
        {
          kind: 'linear',
          loraA: floatTensor([1, 3], Float32Array.of(1, 0, 2)),
          loraB: floatTensor([4, 1], Float32Array.of(1, 0, -1, 2)),
        },
      ],
    ]),
    savedModules: new Map(),
  });
  return dir;
}

describe('modelsmith peft combine', () => {
  it('combines adapters (cat adds the ranks) and rejects an unknown method', async () => {
    const dir = await fixture();
    const combined = await runCli(
      [
        'peft',
        'combine',
        '--adapters',
        'lora,lora',
        '--weights',
        '0.5,0.5',
        '--method',
        'cat',
        '-o',
        'mix',
        '--json',
      ],
      dir,
    );
    expect(combined.code).toBe(0);
    expect((await loadAdapter(join(dir, 'mix'))).config.r).toBe(2);
    const svd = await runCli(
      ['peft', 'combine', '--adapters', 'lora,lora', '--weights', '0.5,0.5', '-o', 'svd', '--json'],
      dir,
    );
    expect(svd.code).toBe(0);
    expect(JSON.parse(svd.stdout).modules[0].error).toBeLessThan(1e-5);
    const unknown = await runCli(
      ['peft', 'combine', '--adapters', 'lora', '--method', 'avg', '-o', 'x'],
      dir,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--method must be one of/);
  });
});
