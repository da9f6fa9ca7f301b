import { createErrorFactory } from '@modelsmith/core-tensor';

export const PACKAGE_NAME = 'diffusion';

/** `diffusionError(code, message)` builds a ModelsmithError tagged with this package. */
export const diffusionError = createErrorFactory(PACKAGE_NAME);
