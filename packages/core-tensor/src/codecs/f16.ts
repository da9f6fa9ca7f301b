/**
 * IEEE binary16 <-> float32. Decoding goes through a 65,536-entry table of float32
 * bit patterns built on first use (256 KB); encoding is integer round-to-nearest-even
 * on the float32 bits, so no double rounding through float64 arithmetic. Arrays of
 * 64 elements or more go through the WebAssembly SIMD kernels of `f16-wasm.ts` when
 * available; these scalar loops are the fallback and the reference the kernels are tested against.
 */

import { f16WasmKernels } from './f16-wasm.js';

/** Below this many elements the scalar loops win (measured crossover: 32-64; no chunk copies, no call). */
export const F16_SIMD_MIN_ELEMENTS = 64;

let decodeTable: Uint32Array | undefined;

function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0; // Inf or NaN (payload kept)
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal: normalise the mantissa into a float32 normal.
  let e = 113;
  let m = mantissa;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

function table(): Uint32Array {
  if (decodeTable === undefined) {
    decodeTable = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = f16BitsToF32Bits(h);
  }
  return decodeTable;
}

/** Decodes F16 bit patterns to float32 exactly (NaN payloads, Inf, subnormals and signs kept). */
export function f16ToF32(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length < bits.length)
    throw new RangeError(`f16ToF32: out has ${out.length} elements, need ${bits.length}`);
  const n = bits.length;
  const simd = n >= F16_SIMD_MIN_ELEMENTS ? f16WasmKernels() : undefined;
  if (!simd) return f16ToF32Scalar(bits, out);
  const main = n - (n % 8);
  simd.decode(bits, out, 0, main);
  decode(bits.subarray(main), new Int32Array(out.buffer, out.byteOffset + main * 4, n - main), table());
  return out;
}

/** The plain-JS decoder (`out` at least as long as `bits`): fallback, tail loop and test reference. */
export function f16ToF32Scalar(bits: Uint16Array, out: Float32Array): Float32Array {
  decode(bits, new Int32Array(out.buffer, out.byteOffset, bits.length), table());
  return out;
}

function decode(bits: Uint16Array, words: Int32Array, lookup: Uint32Array): void {
  const n = bits.length;
  for (let i = 0; i < n; i++) {
    const h = bits[i]!;
    // Normal numbers (exponent 1..30) by arithmetic: rebias 15 -> 127; the rest from the table.
    if (((h & 0x7c00) - 0x400) >>> 0 < 0x7800)
      words[i] = ((h & 0x8000) << 16) | (((h & 0x7fff) << 13) + 0x38000000);
    else words[i] = lookup[h]!;
  }
}

/** Encodes one float32 bit pattern to F16 bits, round-to-nearest-even. */
function encode(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) {
    if (abs === 0x7f800000) return sign | 0x7c00;
    return sign | 0x7e00 | ((abs >>> 13) & 0x3ff); // quiet NaN, top payload bits kept
  }
  // 65520 = 0x477ff000 is halfway between 65504 and 65536: ties to even rounds up to Inf.
  if (abs >= 0x477ff000) return sign | 0x7c00;
  if (abs >= 0x38800000) {
    // Normal: rebias the exponent (127 -> 15) and round the 13 dropped bits.
    return sign | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
  }
  const exponent = abs >>> 23;
  // Below 2^-25 (half the smallest subnormal, 2^-24) everything rounds to zero;
  // exactly 2^-25 is a tie and rounds to the even value 0 as well.
  if (exponent < 102) return sign;
  const mantissa = (abs & 0x7fffff) | 0x800000;
  const shift = 126 - exponent; // value / 2^-24 = mantissa / 2^shift
  let q = mantissa >>> shift;
  const remainder = mantissa & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (remainder > half || (remainder === half && (q & 1) === 1)) q++;
  return sign | q; // q === 0x400 is the smallest normal, encoded correctly by the carry
}

/** Encodes float32 to F16 with round-to-nearest-even, overflow to ±Inf, subnormals kept, NaN quieted. */
export function f32ToF16(
  values: Float32Array,
  out: Uint16Array = new Uint16Array(values.length),
): Uint16Array {
  if (out.length < values.length)
    throw new RangeError(`f32ToF16: out has ${out.length} elements, need ${values.length}`);
  const n = values.length;
  const simd = n >= F16_SIMD_MIN_ELEMENTS ? f16WasmKernels() : undefined;
  if (!simd) return f32ToF16Scalar(values, out);
  const main = n - (n % 8);
  simd.encode(values, out, 0, main);
  encodeAll(new Int32Array(values.buffer, values.byteOffset + main * 4, n - main), out.subarray(main));
  return out;
}

/** The plain-JS encoder (`out` at least as long as `values`): fallback, tail loop and test reference. */
export function f32ToF16Scalar(values: Float32Array, out: Uint16Array): Uint16Array {
  encodeAll(new Int32Array(values.buffer, values.byteOffset, values.length), out);
  return out;
}

function encodeAll(words: Int32Array, out: Uint16Array): void {
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const x = words[i]!;
    const abs = x & 0x7fffffff;
    // Fast path for results that are normal F16 numbers: |x| in [2^-14, 65520).
    if ((abs - 0x38800000) >>> 0 < 0x0efff000) {
      out[i] = ((x >>> 16) & 0x8000) | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
    } else {
      out[i] = encode(x);
    }
  }
}
