const marker = Symbol.for('@modelsmith/error');

/** Stable error codes. A code never changes meaning once published. */
export type ModelsmithErrorCode =
  | 'E_INVALID_OPTIONS'
  | 'E_SAFETENSORS_HEADER'
  | 'E_SAFETENSORS_DATA'
  | 'E_CHECKPOINT'
  | 'E_DTYPE'
  | 'E_SHAPE_MISMATCH'
  | 'E_IO'
  | 'E_OUTPUT_EXISTS'
  | 'E_CONFIG'
  | 'E_INPUT'
  | 'E_NUMERIC'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_INTERNAL'
  | (string & {});

export interface ModelsmithErrorOptions {
  /** The package the error comes from, e.g. `core-tensor`; the message is prefixed with it. */
  readonly packageName: string;
  readonly code: ModelsmithErrorCode;
  readonly message: string;
  readonly cause?: unknown;
  /** A user error (bad input, bad options) rather than a bug: the CLI exits 2 instead of 1. */
  readonly userError?: boolean;
}

/**
 * The one base class of every error modelsmith throws on purpose.
 * Guards use `ModelsmithError.isInstance`, which survives duplicate installs.
 */
export class ModelsmithError extends Error {
  readonly [marker] = true;
  readonly code: ModelsmithErrorCode;
  readonly packageName: string;
  readonly userError: boolean;

  constructor(options: ModelsmithErrorOptions) {
    super(`[@modelsmith/${options.packageName}] ${options.message}`, { cause: options.cause });
    this.name = 'ModelsmithError';
    this.code = options.code;
    this.packageName = options.packageName;
    this.userError = options.userError ?? true;
  }

  static isInstance(value: unknown): value is ModelsmithError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** Shorthand for the common case: a user-facing error from one package. */
export function createErrorFactory(packageName: string) {
  return (code: ModelsmithErrorCode, message: string, cause?: unknown): ModelsmithError =>
    new ModelsmithError({ packageName, code, message, cause, userError: code !== 'E_INTERNAL' });
}
