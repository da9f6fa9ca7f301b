import { createErrorFactory } from '@modelsmith/core-tensor';

export const PACKAGE_NAME = 'scaling';

/** Builds a user-facing `ModelsmithError` prefixed with `[@modelsmith/scaling]`. */
export const scalingError = createErrorFactory(PACKAGE_NAME);
