import { join } from 'node:path';
import { loadAdapter } from '@modelsmith/peft';
import { describe, expect, it } from 'vitest';
import { peftFixture } from './peft-fixture.js';
import { runCli } from './run-cli.js';

describe('modelsmith peft combine', () => {
  it('combines adapters (cat adds the ranks) and rejects an unknown method', async () => {
    const dir = await peftFixture();
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
