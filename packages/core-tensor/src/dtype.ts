import { createErrorFactory } from './errors/modelsmith-error.js';

const fail = createErrorFactory('core-tensor');

/** Element types, named exactly as in the safetensors header. `F8_*` are decode only. */
export const DTYPES = [
  'F64',
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'I16',
  'I8',
  'U8',
  'BOOL',
  'F8_E4M3',
  'F8_E5M2',
] as const;

export type DType = (typeof DTYPES)[number];

const BYTE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/** Bytes per element. */
export function dtypeByteSize(dtype: DType): number {
  return BYTE_SIZE[dtype];
}

/** True for the floating-point dtypes (including BF16, F16 and the F8 formats). */
export function isFloatDType(dtype: DType): boolean {
  return (
    dtype === 'F64' ||
    dtype === 'F32' ||
    dtype === 'F16' ||
    dtype === 'BF16' ||
    dtype === 'F8_E4M3' ||
    dtype === 'F8_E5M2'
  );
}

/** Type guard over the closed dtype list. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(BYTE_SIZE, value);
}

/** Returns `value` as a DType or throws `E_DTYPE` listing the supported values. */
export function parseDType(value: unknown, context = 'dtype'): DType {
  if (isDType(value)) return value;
  throw fail(
    'E_DTYPE',
    `${context}: unsupported dtype ${JSON.stringify(value)}; supported: ${DTYPES.join(', ')}`,
  );
}
