import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fromFloat32,
  openCheckpoint,
  type Tensor,
  toFloat32,
  writeSafetensorsFile,
} from '@modelsmith/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseByteSize } from '../src/commands/merge/merge.js';
import { runCli } from './run-cli.js';

let root: string;

async function writeModel(directory: string, offset: number): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const tensors: Record<string, Tensor> = {};
  const shapes: Record<string, number[]> = { 'model.embed_tokens.weight': [6, 4], 'model.norm.weight': [4] };
  for (let i = 0; i < 2; i++) shapes[`model.layers.${i}.mlp.up_proj.weight`] = [4, 4];
  let k = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const n = shape.reduce((a, b) => a * b, 1);
    tensors[name] = fromFloat32(
      Float32Array.from({ length: n }, (_, i) => offset + (k + i) / 8),
      'BF16',
      shape,
    );
    k++;
  }
  await writeSafetensorsFile(join(directory, 'model.safetensors'), tensors);
  writeFileSync(join(directory, 'config.json'), JSON.stringify({ num_hidden_layers: 2 }));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cli-merge-'));
  await writeModel(join(root, 'base'), 0);
  await writeModel(join(root, 'a'), 1);
  await writeModel(join(root, 'b'), 3);
  writeFileSync(
    join(root, 'ta.yaml'),
    `merge_method: task_arithmetic
base_model: base
models:
  - {model: a, parameters: {weight: 0.5}}
  - {model: b, parameters: {weight: 0.25}}
`,
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('modelsmith merge', () => {
  it('prints help with an example', async () => {
    const { code, stdout } = await runCli(['merge', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Example:\n {2}modelsmith merge/);
  });

  it('--dry-run prints the plan without writing anything', async () => {
    const { code, stdout } = await runCli(['merge', join(root, 'ta.yaml'), '--dry-run', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.method).toBe('task_arithmetic');
    expect(plan.tensors).toHaveLength(4);
    // 3 bf16 inputs × (24 + 4 + 16 + 16) elements × 2 bytes
    expect(plan.readBytes).toBe(3 * 60 * 2);
    expect(plan.tensors[0].modelParameters[0].weight).toBe(0.5);
    const text = await runCli(['merge', join(root, 'ta.yaml'), '--dry-run']);
    expect(text.stdout).toMatch(/model.norm.weight \[4\] BF16/);
  });

  it('merges: θ₀ + 0.5·(θa − θ₀) + 0.25·(θb − θ₀), f32 output, then refuses to overwrite without --force', async () => {
    const out = join(root, 'out');
    const { code, stdout } = await runCli([
      'merge',
      join(root, 'ta.yaml'),
      '-o',
      out,
      '--out-dtype',
      'f32',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).copiedFiles).toEqual(['config.json']);
    const checkpoint = await openCheckpoint(out);
    const base = await openCheckpoint(join(root, 'base'));
    const merged = toFloat32(await checkpoint.read('model.norm.weight'));
    const b0 = toFloat32(await base.read('model.norm.weight'));
    // a = base + 1, b = base + 3 elementwise (exact in bf16 for these values) → base + 0.5 + 0.75
    for (let i = 0; i < 4; i++) expect(merged[i]).toBeCloseTo(b0[i]! + 1.25, 6);
    expect(checkpoint.info('model.norm.weight').dtype).toBe('F32');
    await checkpoint.close();
    await base.close();
    const again = await runCli(['merge', join(root, 'ta.yaml'), '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*--force/);
    expect((await runCli(['merge', join(root, 'ta.yaml'), '-o', out, '--force'])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors']);
  });

  it('rejects bad configs and options with a one-line message and exit 2', async () => {
    writeFileSync(join(root, 'bad.yaml'), 'merge_method: dare-ties\nmodels: [{model: a}]\n');
    const bad = await runCli(['merge', join(root, 'bad.yaml'), '-o', join(root, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/merge_method.*dare_ties/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(
      join(root, 'missing.yaml'),
      'merge_method: linear\nmodels: [{model: a, parameters: {weight: 1}}, {model: nope, parameters: {weight: 1}}]\n',
    );
    const missing = await runCli(['merge', join(root, 'missing.yaml'), '-o', join(root, 'y')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
    expect((await runCli(['merge', join(root, 'ta.yaml')])).stderr).toMatch(/missing -o/);
    expect(
      (await runCli(['merge', join(root, 'ta.yaml'), '-o', join(root, 'z'), '--max-shard-size', 'lots']))
        .code,
    ).toBe(2);
  });

  it('parses shard sizes like mergekit (B = billion) and with SI/IEC units', () => {
    expect(parseByteSize('5GB', 'f')).toBe(5e9);
    expect(parseByteSize('500MB', 'f')).toBe(5e8);
    expect(parseByteSize('1B', 'f')).toBe(1e9);
    expect(parseByteSize('2GiB', 'f')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('2e9', 'f')).toBe(2e9);
  });
});
