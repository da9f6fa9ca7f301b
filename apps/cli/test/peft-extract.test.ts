import { join } from 'node:path';
import { loadAdapter } from '@modelsmith/peft';
import { describe, expect, it } from 'vitest';
import { peftFixture } from './peft-fixture.js';
import { runCli } from './run-cli.js';

describe('modelsmith peft extract', () => {
  it('recovers the applied adapter as a valid PEFT directory', async () => {
    const dir = await peftFixture();
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
