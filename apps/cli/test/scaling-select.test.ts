import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('modelsmith scaling select', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scaling-select-'));
  const target = join(dir, 'target.txt');
  const pool = join(dir, 'pool.jsonl');
  writeFileSync(target, 'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n');
  writeFileSync(
    pool,
    [
      { text: 'The weather was lovely and we walked along the river for hours.' },
      { text: 'def mul(a, b):\n    return a * b\n' },
      { text: 'Once upon a time a princess lived in a castle by the sea.' },
      { text: 'def div(a, b):\n    return a / b\n' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
  );

  it('keeps the code candidates for a code target set', async () => {
    const r = await runCli(['scaling', 'select', '--target', target, '--pool', pool, '--top', '2', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.selected.map((s: { line: number }) => s.line).sort()).toEqual([2, 4]);
    expect(out.targets).toBe(2);
    expect(out.pool).toBe(4);
  });

  it('exits 2 on a pool line without text', async () => {
    const badPool = join(dir, 'bad.jsonl');
    writeFileSync(badPool, '{"content": "x"}\n');
    const r = await runCli(['scaling', 'select', '--target', target, '--pool', badPool, '--top', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no string field 'text'");
  });
});
