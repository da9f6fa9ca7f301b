import { createErrorFactory } from '../errors/modelsmith-error.js';

/** `statsError(code, message)`: a `ModelsmithError` prefixed `[@modelsmith/core-tensor]`. */
export const statsError = createErrorFactory('core-tensor');
