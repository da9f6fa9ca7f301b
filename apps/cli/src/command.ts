import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ModelsmithError } from '@modelsmith/core-tensor';

/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface CommandContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** True when stderr is a terminal: progress is drawn as a bar instead of periodic lines. */
  readonly interactive: boolean;
}

/** One leaf command, e.g. `inspect` or `eval passk`. */
export interface Command {
  /** Words after `modelsmith`, e.g. `['eval', 'passk']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text: usage line, options and at least one example. */
  readonly help: string;
  /** Returns the exit code (0 when omitted). */
  run(argv: readonly string[], context: CommandContext): Promise<number | undefined>;
}

/** A mistake in how the command was called: printed with a pointer to `--help`, exit 2. */
export class UsageError extends ModelsmithError {
  constructor(message: string) {
    super({ packageName: 'cli', code: 'E_USAGE', message, userError: true });
    this.name = 'UsageError';
  }
}

type OptionsSpec = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs with errors turned into `UsageError`s. */
export function parseCommandArgs<const T extends OptionsSpec>(
  argv: readonly string[],
  options: T,
  positionals: { min: number; max: number; names: string },
) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new UsageError(
      count < positionals.min
        ? `missing ${positionals.names}`
        : `unexpected argument '${parsed.positionals[positionals.max]}'`,
    );
  }
  return parsed;
}

/** Parses a number option, naming the flag in the error. */
export function numberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new UsageError(`${flag} must be a number, got '${value}'`);
  return parsed;
}

/** Parses a comma-separated list of numbers, e.g. `--k 1,10,100`. */
export function numberListOption(value: string | undefined, flag: string): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((part) => numberOption(part, flag)!);
}

/** Prints `value` as JSON on one final line. */
export function printJson(context: CommandContext, value: unknown): void {
  context.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
