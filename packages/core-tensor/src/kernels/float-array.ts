import { createErrorFactory } from '../errors/modelsmith-error.js';

/** The typed arrays the kernels run on. */
export type FloatArray = Float32Array | Float64Array;

export const kernelError = createErrorFactory('core-tensor');

/** Throws E_SHAPE_MISMATCH unless `a` and `b` have the same length. */
export function assertSameLength(
  operation: string,
  nameA: string,
  a: { readonly length: number },
  nameB: string,
  b: { readonly length: number },
): void {
  if (a.length !== b.length) {
    throw kernelError(
      'E_SHAPE_MISMATCH',
      `${operation}: ${nameA} has length ${a.length} but ${nameB} has length ${b.length}; pass arrays of equal length`,
    );
  }
}
