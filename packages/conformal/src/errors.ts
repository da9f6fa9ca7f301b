import { createErrorFactory } from '@modelsmith/core-tensor';

export const PACKAGE_NAME = 'conformal';

/** `conformalError(code, message)`: a user-facing `ModelsmithError` from this package. */
export const conformalError = createErrorFactory(PACKAGE_NAME);
