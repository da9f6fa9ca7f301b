/**
 * BF16 is the top half of an IEEE float32, so decoding is a shift and encoding is
 * round-to-nearest-even on the dropped 16 bits. Loops work on Int32Array views of
 * the float32 buffer (V8 keeps int32 values unboxed; uint32 values above 2^31 are not),
 * with no per-element allocation and no float arithmetic. Arrays of 4096 elements or
 * more go through the WebAssembly SIMD kernels of `bf16-wasm.ts` when available.
 */

import { bf16WasmKernels } from './bf16-wasm.js';

/** Below this many elements the scalar loops win (no chunk copies, no kernel start-up). */
const SIMD_MIN_ELEMENTS = 4096;

/** Decodes BF16 bit patterns to float32 exactly (NaN payloads, Inf, subnormals and signs kept). */
export function bf16ToF32(
  bits: Uint16Array,
  out: Float32Array = new Float32Array(bits.length),
): Float32Array {
  if (out.length < bits.length)
    throw new RangeError(`bf16ToF32: out has ${out.length} elements, need ${bits.length}`);
  const n = bits.length;
  const simd = n >= SIMD_MIN_ELEMENTS ? bf16WasmKernels() : undefined;
  if (simd) {
    const main = n - (n % 8);
    simd.decode(bits, out, 0, main);
    decode(bits.subarray(main), new Int32Array(out.buffer, out.byteOffset + main * 4, n - main));
  } else {
    decode(bits, new Int32Array(out.buffer, out.byteOffset, n));
  }
  return out;
}

function decode(bits: Uint16Array, words: Int32Array): void {
  const n = bits.length;
  for (let i = 0; i < n; i++) words[i] = bits[i]! << 16;
}

/** Rounds one float32 bit pattern (as int32) to BF16 bits: nearest, ties to even; NaN quieted. */
function encodeOne(x: number): number {
  // Truncating a NaN could clear every mantissa bit and give Inf: force the quiet bit instead.
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x0040;
  return ((x + 0x7fff + ((x >>> 16) & 1)) | 0) >>> 16;
}

/**
 * Encodes float32 to BF16 with round-to-nearest, ties to even. Values past the BF16
 * range round to ±Inf; NaN stays NaN (quieted, sign and top payload bits kept).
 */
export function f32ToBf16(
  values: Float32Array,
  out: Uint16Array = new Uint16Array(values.length),
): Uint16Array {
  if (out.length < values.length)
    throw new RangeError(`f32ToBf16: out has ${out.length} elements, need ${values.length}`);
  const words = new Int32Array(values.buffer, values.byteOffset, values.length);
  const n = values.length;
  const simd = n >= SIMD_MIN_ELEMENTS ? bf16WasmKernels() : undefined;
  if (simd) {
    const main = n - (n % 8);
    simd.encode(values, out, 0, main);
    for (let i = main; i < n; i++) out[i] = encodeOne(words[i]!);
    return out;
  }
  if (out.byteOffset % 4 !== 0) {
    for (let i = 0; i < n; i++) out[i] = encodeOne(words[i]!);
    return out;
  }
  // Two results per 32-bit store (little-endian: element 2j in the low half).
  const pairs = new Int32Array(out.buffer, out.byteOffset, n >> 1);
  encodePairs(words, pairs);
  if (n % 2 === 1) out[n - 1] = encodeOne(words[n - 1]!);
  return out;
}

function encodePairs(words: Int32Array, pairs: Int32Array): void {
  const m = pairs.length;
  let sawNaN = false;
  for (let j = 0, i = 0; j < m; j++, i += 2) {
    const a = words[i]!;
    const b = words[i + 1]!;
    // NaN pairs are rare: flag them and fix them in a second pass, keeping this loop free of calls.
    if ((a & 0x7fffffff) > 0x7f800000 || (b & 0x7fffffff) > 0x7f800000) sawNaN = true;
    pairs[j] = (((a + 0x7fff + ((a >>> 16) & 1)) | 0) >>> 16) | ((b + 0x7fff + ((b >>> 16) & 1)) & -65536);
  }
  if (!sawNaN) return;
  for (let j = 0, i = 0; j < m; j++, i += 2) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if ((a & 0x7fffffff) > 0x7f800000 || (b & 0x7fffffff) > 0x7f800000)
      pairs[j] = encodeOne(a) | (encodeOne(b) << 16);
  }
}
