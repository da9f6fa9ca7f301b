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

describe('modelsmith peft extract', () => {
  it('recovers the applied adapter as a valid PEFT directory', async () => {
    const dir = await fixture();
    expect(
      (await runCli(['peft', 'apply', '--base', 'base.safetensors', '--adapter', 'lora', '-o', 'tuned'], dir))
        .code,
    ).toBe(0);
    const extracted = await runCli(
      [
        'peft',
        'extract',
        '--base',
        'base.safetensors',
        '--tuned',
        'tuned',
        '--rank',
        '2',
        '-o',
        'ex',
        '--json',
      ],
      dir,
    );
    expect(extracted.code).toBe(0);
    const report = JSON.parse(extracted.stdout);
    expect(report.modules[0].path).toBe('fc');
    expect(report.modules[0].relativeError).toBeLessThan(1e-6);
    const adapter = await loadAdapter(join(dir, 'ex'));
    expect(adapter.modules.get('fc')!.loraA.shape).toEqual([2, 3]); // --rank 2 (the second singular value is ~0)
    const missing = await runCli(
      ['peft', 'extract', '--base', 'base.safetensors', '--tuned', 'tuned', '-o', 'ex2'],
      dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--rank/);
  });
});
