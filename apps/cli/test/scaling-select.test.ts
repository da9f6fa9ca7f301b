import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith scaling select', () => {
  const f = writeTempFiles({
    'target.txt': 'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n',
    'pool.jsonl': [
      { text: 'The weather was lovely and we walked along the river for hours.' },
      { text: 'def mul(a, b):\n    return a * b\n' },
      { text: 'Once upon a time a princess lived in a castle by the sea.' },
      { text: 'def div(a, b):\n    return a / b\n' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n'),
    'bad.jsonl': '{"content": "x"}\n',
  });
  const { 'target.txt': target, 'pool.jsonl': pool } = f;

  it('keeps the code candidates for a code target set', async () => {
    const out = await runCliJson(['scaling', 'select', '--target', target, '--pool', pool, '--top', '2']);
    expect(out.selected.map((s: { line: number }) => s.line).sort()).toEqual([2, 4]);
    expect(out.targets).toBe(2);
    expect(out.pool).toBe(4);
  });

  it('exits 2 on a pool line without text', async () => {
    const r = await runCli(['scaling', 'select', '--target', target, '--pool', f['bad.jsonl'], '--top', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no string field 'text'");
  });
});
