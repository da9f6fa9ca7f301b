import { join } from 'node:path';
import { loadAdapter } from '@modelsmith/peft';
import { describe, expect, it } from 'vitest';
import { peftFixture } from './peft-fixture.js';
import { runCli } from './run-cli.js';

describe('modelsmith peft compress', () => {
  it('writes a ComPEFT adapter and reports the compression ratio', async () => {
    const dir = await peftFixture();
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
