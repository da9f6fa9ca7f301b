import { createErrorFactory } from '@modelsmith/core-tensor';

/** Every user-facing error of this package: `peftError('E_SHAPE_MISMATCH', 'lora_A of … is …')`. */
export const peftError = createErrorFactory('peft');
