import { ModelsmithError } from '@modelsmith/core-tensor';
import type { Command, CommandContext } from './command.js';
import { commands } from './commands/index.js';

const VERSION = '0.0.0';

function overview(): string {
  const width = Math.max(...commands.map((command) => command.path.join(' ').length));
  const lines = commands.map((command) => `  ${command.path.join(' ').padEnd(width)}  ${command.summary}`);
  return [
    'modelsmith — merge, adapt, scale, calibrate, sample and evaluate models',
    '',
    'Usage: modelsmith <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `modelsmith <command> --help` for the options and an example of each command.',
    '',
  ].join('\n');
}

function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  let best: { command: Command; rest: readonly string[] } | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, index) => argv[index] === word);
    if (matches && (!best || command.path.length > best.command.path.length)) {
      best = { command, rest: argv.slice(command.path.length) };
    }
  }
  return best;
}

function areaHelp(area: string): string | undefined {
  const inArea = commands.filter((command) => command.path[0] === area && command.path.length > 1);
  if (inArea.length === 0) return undefined;
  const width = Math.max(...inArea.map((command) => command.path.join(' ').length));
  return [
    `Usage: modelsmith ${area} <command> [options]`,
    '',
    ...inArea.map((command) => `  ${command.path.join(' ').padEnd(width)}  ${command.summary}`),
    '',
  ].join('\n');
}

/** Runs the command line; returns the exit code (0 ok, 1 internal error, 2 user error). */
export async function run(argv: readonly string[], context: CommandContext): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    context.stdout(overview());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    context.stdout(`${VERSION}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const help = areaHelp(argv[0]!);
    if (help && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
      context.stdout(help);
      return argv.length === 1 ? 2 : 0;
    }
    context.stderr(
      `modelsmith: unknown command '${argv.slice(0, 2).join(' ')}'. Run \`modelsmith --help\`.\n`,
    );
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    context.stdout(`${found.command.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return (await found.command.run(found.rest, context)) ?? 0;
  } catch (error) {
    const name = found.command.path.join(' ');
    if (ModelsmithError.isInstance(error)) {
      const hint = error.code === 'E_USAGE' ? ` (see \`modelsmith ${name} --help\`)` : '';
      context.stderr(`modelsmith ${name}: ${error.message}${hint}\n`);
      return error.userError ? 2 : 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.stderr(`modelsmith ${name}: internal error: ${message}\n`);
    return 1;
  }
}
