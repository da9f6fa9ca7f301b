import type { z } from 'zod';
import { ModelsmithError } from './modelsmith-error.js';

/** Options that failed validation at a public boundary. The message names each bad field. */
export class InvalidOptionsError extends ModelsmithError {
  readonly argument: string;
  readonly issues: readonly { path: string; message: string }[];

  constructor(options: {
    packageName: string;
    argument: string;
    issues: readonly { path: string; message: string }[];
    cause?: unknown;
  }) {
    const detail = options.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super({
      packageName: options.packageName,
      code: 'E_INVALID_OPTIONS',
      message: `invalid ${options.argument}: ${detail}`,
      cause: options.cause,
    });
    this.name = 'InvalidOptionsError';
    this.argument = options.argument;
    this.issues = options.issues;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Parses `value` with `schema` once, at a public boundary. On failure throws an
 * `InvalidOptionsError` naming each field, the value given and what is allowed.
 */
export function parseOptions<Schema extends z.ZodType>(
  packageName: string,
  argument: string,
  schema: Schema,
  value: unknown,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const given = issue.path.length > 0 ? ` (got ${describeValue(valueAt(value, issue.path))})` : '';
    return { path, message: `${issue.message}${given}` };
  });
  throw new InvalidOptionsError({ packageName, argument, issues, cause: result.error });
}
