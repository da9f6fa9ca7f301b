import { run } from '../src/main.js';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(argv: readonly string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd,
    interactive: false,
  });
  return { code, stdout, stderr };
}
