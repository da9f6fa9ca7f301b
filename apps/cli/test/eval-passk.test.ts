import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

describe('modelsmith eval passk', () => {
  it('per-task counts → documented JSON (spec values (200,10,k))', async () => {
    const f = writeTempFiles({ 'tasks.jsonl': '{"task":"a","n":200,"c":10}\n{"task":"b","n":200,"c":1}\n' });
    const out = await runCliJson(['eval', 'passk', f['tasks.jsonl'], '--k', '1,10,100']);
    expect(Object.keys(out)).toEqual(['passAtK', 'tasks']);
    expect(out.tasks).toBe(2);
    expect(out.passAtK['1']).toBeCloseTo((0.05 + 0.005) / 2, 12);
    expect(out.passAtK['10']).toBeCloseTo((0.408548 + 0.05) / 2, 6);
    expect(out.passAtK['100']).toBeCloseTo((0.999229 + 0.5) / 2, 6);
  });
  it('per-sample records are counted per task', async () => {
    const lines = [
      '{"task":"x","passed":true}',
      '{"task":"x","passed":false}',
      '{"task":"y","passed":false}',
      '{"task":"y","passed":false}',
    ];
    const f = writeTempFiles({ 's.jsonl': `${lines.join('\n')}\n` });
    const r = await runCli(['eval', 'passk', f['s.jsonl'], '--k', '1,2', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ passAtK: { '1': 0.25, '2': 0.5 }, tasks: 2 });
    const text = await runCli(['eval', 'passk', f['s.jsonl'], '--k', '2']);
    expect(text.stdout).toContain('pass@2');
  });
  it('k > n exits 2 with one line naming the task', async () => {
    const f = writeTempFiles({ 't.jsonl': '{"task":"small","n":5,"c":0}\n' });
    const r = await runCli(['eval', 'passk', f['t.jsonl'], '--k', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("task 'small'");
  });
  it('--help has an example', async () => {
    const r = await runCli(['eval', 'passk', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Example');
  });
});
