import { bf16ToF32, f32ToBf16 } from './codecs/bf16.js';
import { f8E4M3ToF32, f8E5M2ToF32 } from './codecs/f8.js';
import { f16ToF32, f32ToF16 } from './codecs/f16.js';
import { DTYPES, type DType, dtypeByteSize, isDType } from './dtype.js';
import { createErrorFactory } from './errors/modelsmith-error.js';

const fail = createErrorFactory('core-tensor');

/** Element storage: BF16/F16 are raw `Uint16Array` bits; U8, BOOL and F8 are `Uint8Array`. */
export type TensorData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** A host tensor: row-major, little-endian, `data.length === numelOf(shape)`. */
export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

type TypedArrayConstructor = {
  new (length: number): TensorData;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
};

const ARRAY_TYPE: Readonly<Record<DType, TypedArrayConstructor>> = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
  F8_E4M3: Uint8Array,
  F8_E5M2: Uint8Array,
};

/** Number of elements of `shape` (1 for a scalar `[]`). Throws on a negative, fractional or unsafe size. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw fail(
        'E_SHAPE_MISMATCH',
        `shape [${shape.join(', ')}] has an invalid dimension ${dim}; dimensions are non-negative integers`,
      );
    }
    n *= dim;
  }
  if (!Number.isSafeInteger(n))
    throw fail('E_SHAPE_MISMATCH', `shape [${shape.join(', ')}] has more than 2^53 elements`);
  return n;
}

/** A zeroed typed array of the storage type of `dtype`. */
export function allocateTensorData(dtype: DType, length: number): TensorData {
  return new ARRAY_TYPE[dtype](length);
}

/** Creates a tensor, checking that `data` has the storage type and length the dtype and shape need. Zeroed when `data` is omitted. */
export function createTensor(dtype: DType, shape: readonly number[], data?: TensorData): Tensor {
  if (!isDType(dtype))
    throw fail('E_DTYPE', `unsupported dtype ${JSON.stringify(dtype)}; supported: ${DTYPES.join(', ')}`);
  const numel = numelOf(shape);
  const Expected = ARRAY_TYPE[dtype];
  if (data === undefined) return { dtype, shape: [...shape], data: new Expected(numel) };
  if (!(data instanceof Expected)) {
    throw fail(
      'E_DTYPE',
      `${dtype} tensors store their elements in a ${Expected.name}, got ${data.constructor.name}`,
    );
  }
  if (data.length !== numel) {
    throw fail(
      'E_SHAPE_MISMATCH',
      `shape [${shape.join(', ')}] needs ${numel} elements, data has ${data.length}`,
    );
  }
  return { dtype, shape: [...shape], data };
}

/** The tensor's bytes (a view, no copy), little-endian as in safetensors. */
export function tensorBytes(tensor: Tensor): Uint8Array {
  const { data } = tensor;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A tensor over raw little-endian bytes. Views `bytes` when its offset is aligned to
 * the element size, otherwise copies into a fresh aligned buffer.
 */
export function tensorFromBytes(dtype: DType, shape: readonly number[], bytes: Uint8Array): Tensor {
  const numel = numelOf(shape);
  const size = dtypeByteSize(dtype);
  if (bytes.byteLength !== numel * size) {
    throw fail(
      'E_SHAPE_MISMATCH',
      `${dtype} [${shape.join(', ')}] needs ${numel * size} bytes, got ${bytes.byteLength}`,
    );
  }
  let source = bytes;
  if (bytes.byteOffset % size !== 0) {
    source = new Uint8Array(bytes.byteLength);
    source.set(bytes);
  }
  return { dtype, shape: [...shape], data: new ARRAY_TYPE[dtype](source.buffer, source.byteOffset, numel) };
}

/**
 * Decodes any dtype to float32 (exact for BF16, F16, F8; I64 beyond 2^24 rounds). Into a
 * fresh array, or into the first `numel` elements of `out` (reused across tensors to
 * avoid allocating), which is returned as a view of exactly `numel` elements.
 */
export function toFloat32(tensor: Tensor, out?: Float32Array): Float32Array {
  const { data } = tensor;
  const n = data.length;
  if (out !== undefined && out.length < n) {
    throw fail('E_SHAPE_MISMATCH', `toFloat32: out has ${out.length} elements, the tensor has ${n}`);
  }
  const target = out === undefined ? new Float32Array(n) : out.length === n ? out : out.subarray(0, n);
  switch (tensor.dtype) {
    case 'BF16':
      return bf16ToF32(data as Uint16Array, target);
    case 'F16':
      return f16ToF32(data as Uint16Array, target);
    case 'F8_E4M3':
      return f8E4M3ToF32(data as Uint8Array, target);
    case 'F8_E5M2':
      return f8E5M2ToF32(data as Uint8Array, target);
    case 'I64': {
      const source = data as BigInt64Array;
      for (let i = 0; i < n; i++) target[i] = Number(source[i]!);
      return target;
    }
    default:
      target.set(data as Exclude<TensorData, BigInt64Array>);
      return target;
  }
}

/** Decodes any dtype to a fresh float64 array (exact except I64 beyond 2^53). */
export function toFloat64(tensor: Tensor): Float64Array {
  const { data } = tensor;
  switch (tensor.dtype) {
    case 'BF16':
    case 'F16':
    case 'F8_E4M3':
    case 'F8_E5M2':
      return new Float64Array(toFloat32(tensor));
    case 'I64': {
      const source = data as BigInt64Array;
      const out = new Float64Array(source.length);
      for (let i = 0; i < source.length; i++) out[i] = Number(source[i]!);
      return out;
    }
    default:
      return new Float64Array(data as Exclude<TensorData, BigInt64Array>);
  }
}

/** Round half to even, then clamp to [min, max]; NaN becomes 0. */
function toInteger(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return 0;
  let r = Math.round(value);
  if (r - value === 0.5 && r % 2 !== 0) r -= 1;
  return Math.min(Math.max(r, min), max);
}

/**
 * Encodes float32 values as `dtype`. F32 wraps `data` without copying. BF16 and F16
 * round to nearest even; integer dtypes round half to even and saturate (NaN -> 0);
 * BOOL is `value !== 0`. F8 dtypes are decode only.
 */
export function fromFloat32(data: Float32Array, dtype: DType, shape: readonly number[]): Tensor {
  const numel = numelOf(shape);
  if (data.length !== numel) {
    throw fail(
      'E_SHAPE_MISMATCH',
      `shape [${shape.join(', ')}] needs ${numel} elements, data has ${data.length}`,
    );
  }
  const n = data.length;
  switch (dtype) {
    case 'F32':
      return { dtype, shape: [...shape], data };
    case 'F64':
      return { dtype, shape: [...shape], data: new Float64Array(data) };
    case 'BF16':
      return { dtype, shape: [...shape], data: f32ToBf16(data) };
    case 'F16':
      return { dtype, shape: [...shape], data: f32ToF16(data) };
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = data[i] !== 0 ? 1 : 0;
      return { dtype, shape: [...shape], data: out };
    }
    case 'I64': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = BigInt(toInteger(data[i]!, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
      }
      return { dtype, shape: [...shape], data: out };
    }
    case 'I32':
    case 'I16':
    case 'I8':
    case 'U8': {
      const bits = dtype === 'U8' ? 8 : Number(dtype.slice(1));
      const min = dtype === 'U8' ? 0 : -(2 ** (bits - 1));
      const max = dtype === 'U8' ? 255 : 2 ** (bits - 1) - 1;
      const out = allocateTensorData(dtype, n) as Int32Array | Int16Array | Int8Array | Uint8Array;
      for (let i = 0; i < n; i++) out[i] = toInteger(data[i]!, min, max);
      return { dtype, shape: [...shape], data: out };
    }
    default:
      throw fail(
        'E_DTYPE',
        `cannot encode to ${dtype}: F8 dtypes are decode only; encode to BF16, F16 or F32 instead`,
      );
  }
}
