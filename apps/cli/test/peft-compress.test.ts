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

describe('modelsmith peft compress', () => {
  it('writes a ComPEFT adapter and reports the compression ratio', async () => {
    const dir = await fixture();
    const compressed = await runCli(
      ['peft', 'compress', '--adapter', 'lora', '--density', '0.5', '-o', 'small', '--json'],
      dir,
    );
    expect(compressed.code).toBe(0);
    // 7 factor entries (3 in A, 4 in B), k = round(1.5) + 2 = 4 kept, 2 tensors: 32·7 / (7 + 4 + 64).
    expect(JSON.parse(compressed.stdout).compressionRatio).toBeCloseTo((32 * 7) / (7 + 4 + 64), 10);
    expect((await loadAdapter(join(dir, 'small'))).modules.get('fc')!.loraA.shape).toEqual([1, 3]);
  });
});
