import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpointWriter, createTensor, serializeSafetensors } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ms-inspect-'));
}

// Values chosen so the statistics are easy by hand: finite values of `w` are 1, 2, 3, 4
// (min 1, max 4, mean 2.5, population std sqrt(1.25)), plus one NaN and one -Inf.
const w = createTensor('F32', [2, 3], Float32Array.of(1, 2, Number.NaN, 3, 4, Number.NEGATIVE_INFINITY));
// BF16 0x3f80 = 1, 0xc000 = -2: mean -0.5, std 1.5.
const b = createTensor('BF16', [2], Uint16Array.of(0x3f80, 0xc000));
const ids = createTensor('I64', [], BigInt64Array.of(7n));

function writeExample(): string {
  const directory = tempDir();
  const path = join(directory, 'model.safetensors');
  writeFileSync(path, serializeSafetensors({ w, b, ids }, { format: 'pt' }));
  return path;
}

describe('modelsmith inspect', () => {
  it('prints exactly the documented JSON', async () => {
    const result = await runCli(['inspect', writeExample(), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      tensors: [
        { name: 'b', dtype: 'BF16', shape: [2], numel: 2 },
        { name: 'ids', dtype: 'I64', shape: [], numel: 1 },
        { name: 'w', dtype: 'F32', shape: [2, 3], numel: 6 },
      ],
      totalParams: 9,
      totalBytes: 4 + 8 + 24,
    });
  });

  it('adds hand-checked statistics with --stats', async () => {
    const result = await runCli(['inspect', writeExample(), '--json', '--stats']);
    expect(result.code).toBe(0);
    const { tensors } = JSON.parse(result.stdout);
    expect(tensors[0].stats).toEqual({ min: -2, max: 1, mean: -0.5, std: 1.5, nan: 0, inf: 0 });
    expect(tensors[1].stats).toEqual({ min: 7, max: 7, mean: 7, std: 0, nan: 0, inf: 0 });
    expect(tensors[2].stats).toMatchObject({ min: 1, max: 4, mean: 2.5, nan: 1, inf: 1 });
    expect(tensors[2].stats.std).toBeCloseTo(Math.sqrt(1.25), 12);
  });

  it('prints a table with totals and per-dtype counts', async () => {
    const result = await runCli(['inspect', writeExample(), '--stats']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 tensors, 9 parameters, 36 bytes');
    expect(result.stdout).toMatch(/^w\s+F32\s+\[2, 3\]\s+6\s+1\.000\s+4\.000\s+2\.500\s+1\.118\s+1\s+1$/m);
    expect(result.stdout).toContain(
      'by dtype: BF16 1 tensors / 2 params; I64 1 tensors / 1 params; F32 1 tensors / 6 params',
    );
    expect(result.stdout).toContain('metadata: format="pt"');
  });

  it('reads a sharded directory', async () => {
    const directory = tempDir();
    const writer = await createCheckpointWriter({
      directory,
      specs: [
        { name: 'w', dtype: 'F32', shape: [2, 3] },
        { name: 'b', dtype: 'BF16', shape: [2] },
      ],
      maxShardBytes: 24,
    });
    await writer.write('w', w);
    await writer.write('b', b);
    await writer.finish();
    const result = await runCli(['inspect', directory, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ totalParams: 8, totalBytes: 28 });
  });

  it('inspects the example checkpoint shipped for the README quick start', async () => {
    const result = await runCli([
      'inspect',
      join(import.meta.dirname, '../../../examples/tiny.safetensors'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.tensors).toHaveLength(17);
    // 2 × 64×16 (embeddings, head) + 2 layers × (48×16 + 16×16 + 32×16 + 32 + 16×32 + 16) + 16 + 8 + 8
    expect(parsed.totalParams).toBe(2 * 1024 + 2 * (768 + 256 + 512 + 32 + 512 + 16) + 16 + 8 + 8);
  });

  it('exits 2 with one line naming the file on bad input', async () => {
    const directory = tempDir();
    const bad = join(directory, 'broken.safetensors');
    const bytes = serializeSafetensors({ w });
    writeFileSync(bad, bytes.subarray(0, bytes.length - 3));
    for (const argv of [
      ['inspect', bad],
      ['inspect', join(directory, 'missing.safetensors')],
      ['inspect', directory],
    ]) {
      const result = await runCli(argv);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(argv[1]);
    }
    const truncated = await runCli(['inspect', bad]);
    expect(truncated.stderr).toMatch(
      /broken.safetensors: tensor 'w' ends at data byte 24 but the data section has only 21 bytes/,
    );
    const usage = await runCli(['inspect']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('missing <file|dir>');
  });

  it('has help with an example', async () => {
    const result = await runCli(['inspect', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('modelsmith inspect examples/tiny.safetensors');
  });
});
