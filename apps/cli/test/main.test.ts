import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('modelsmith', () => {
  it('prints the overview with --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: modelsmith <command>');
  });

  it('rejects an unknown command with exit 2 and one line', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
