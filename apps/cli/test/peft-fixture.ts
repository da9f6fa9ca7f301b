import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { floatTensor, parseLoraConfig, saveAdapter } from '@modelsmith/peft';

/** Deterministic values in [-0.5, 0.75] (a fixed modular pattern). */
export const values = (n: number, offset: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => ((i * 7 + offset) % 11) / 8 - 0.5);

/**
 * A temp dir with `base.safetensors` (`fc.weight` F32 [4, 3], `fc.bias` BF16 [4]) and a rank-1
 * LoRA adapter `lora/` on `fc`: A = [[1, 0, 2]], B = [[1], [0], [-1], [2]], alpha = 2 → scaling 2.
 */
export async function peftFixture(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'peft-cli-'));
  await writeSafetensorsFile(join(dir, 'base.safetensors'), {
    'fc.weight': fromFloat32(values(12, 1), 'F32', [4, 3]),
    'fc.bias': fromFloat32(values(4, 2), 'BF16', [4]),
  });
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
