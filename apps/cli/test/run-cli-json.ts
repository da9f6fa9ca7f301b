import { runCli } from './run-cli.js';

/** Runs the CLI with `--json` appended, fails with its stderr unless it exits 0, and parses stdout. */
export async function runCliJson(argv: readonly string[]) {
  const { code, stdout, stderr } = await runCli([...argv, '--json']);
  if (code !== 0) throw new Error(`modelsmith ${argv.join(' ')} --json exited ${code}: ${stderr}`);
  return JSON.parse(stdout);
}
