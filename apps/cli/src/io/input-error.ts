import { ModelsmithError } from '@modelsmith/core-tensor';

/** A user-input error from the CLI (exit 2): a bad file, column or value. */
export function inputError(message: string): ModelsmithError {
  return new ModelsmithError({ packageName: 'cli', code: 'E_INPUT', message });
}
