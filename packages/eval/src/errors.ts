import { createErrorFactory } from '@modelsmith/core-tensor';

/** Package name used in every error and option message of this package. */
export const PACKAGE = 'eval';

/** `evalError(code, message)` builds a user-facing `ModelsmithError` prefixed `[@modelsmith/eval]`. */
export const evalError = createErrorFactory(PACKAGE);
