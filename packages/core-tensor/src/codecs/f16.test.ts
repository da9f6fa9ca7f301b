import { describe, expect, it } from 'vitest';
import { f16ToF32, f16ToF32Scalar, f32ToF16, f32ToF16Scalar } from './f16.js';
import { f16WasmKernels } from './f16-wasm.js';

/** Independent reference: the value of an IEEE binary16 pattern from its fields, in float64. */
function f16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function f32FromBits(bits: readonly number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

/** Pads to a whole number of 8-lane steps and runs the SIMD kernel alone (no scalar tail). */
function wasmDecode(bits: Uint16Array): Float32Array {
  const kernels = f16WasmKernels();
  if (!kernels) throw new Error('no WebAssembly SIMD on this runtime');
  const padded = new Uint16Array(Math.ceil(bits.length / 8) * 8);
  padded.set(bits);
  const out = new Float32Array(padded.length);
  kernels.decode(padded, out, 0, padded.length);
  return out.slice(0, bits.length);
}

function wasmEncode(values: Float32Array): Uint16Array {
  const kernels = f16WasmKernels();
  if (!kernels) throw new Error('no WebAssembly SIMD on this runtime');
  const padded = new Float32Array(Math.ceil(values.length / 8) * 8);
  padded.set(values);
  const out = new Uint16Array(padded.length);
  kernels.encode(padded, out, 0, padded.length);
  return out.slice(0, values.length);
}

// Every independent check below runs on each path: the public functions (SIMD from 64 elements,
// scalar below), the plain-JS loops alone, and the SIMD kernel alone.
const paths = [
  { name: 'public', decode: (b: Uint16Array) => f16ToF32(b), encode: (v: Float32Array) => f32ToF16(v) },
  {
    name: 'plain JS',
    decode: (b: Uint16Array) => f16ToF32Scalar(b, new Float32Array(b.length)),
    encode: (v: Float32Array) => f32ToF16Scalar(v, new Uint16Array(v.length)),
  },
  { name: 'WebAssembly SIMD', decode: wasmDecode, encode: wasmEncode },
];

describe.each(paths)('f16ToF32 / f32ToF16 ($name)', ({ decode: f16ToF32, encode: f32ToF16 }) => {
  it('decodes all 65,536 patterns exactly and encodes them back', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const decoded = f16ToF32(all);
    const back = f32ToF16(decoded);
    const words = new Uint32Array(decoded.buffer);
    for (let i = 0; i < 65536; i++) {
      const expected = f16Value(i);
      if (Number.isNaN(expected)) {
        expect(Number.isNaN(decoded[i])).toBe(true);
        expect(words[i]! >>> 31).toBe(i >>> 15);
        expect(back[i]).toBe(i | 0x200); // NaN kept, sign kept, quiet bit set
      } else {
        expect(Object.is(decoded[i], expected)).toBe(true);
        expect(back[i]).toBe(i);
      }
    }
  });

  it('rounds float32 to nearest even, with overflow and subnormals, as worked by hand', () => {
    const table: [number, number][] = [
      [Math.fround(1), 0x3c00],
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1+2^-10, even: down
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between 1+2^-10 (odd) and 1+2^-9: up
      [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above half
      [-2, 0xc000],
      [65504, 0x7bff], // largest finite
      [65519, 0x7bff], // below the 65520 midpoint
      [65520, 0x7c00], // midpoint to 65536: ties to even overflow to Inf
      [1e10, 0x7c00],
      [-1e10, 0xfc00],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // tie between 0 and 2^-24: even 0
      [-(2 ** -25), 0x8000], // keeps the sign
      [1.5 * 2 ** -25, 0x0001], // above half
      [3 * 2 ** -25, 0x0002], // 1.5 ulp: tie, odd 1 -> 2
      [5 * 2 ** -25, 0x0002], // 2.5 ulp: tie, even 2
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [2047 * 2 ** -25, 0x0400], // 1023.5 ulp: tie rounds up into the smallest normal
      [2 ** -26, 0x0000],
      [Math.fround(0.1), 0x2e66],
      [Math.fround(1 / 3), 0x3555],
    ];
    const out = f32ToF16(Float32Array.from(table.map(([value]) => value)));
    expect(Array.from(out, (bits) => bits.toString(16))).toEqual(table.map(([, bits]) => bits.toString(16)));
  });

  it('keeps infinities, signed zeros and NaN', () => {
    const out = f32ToF16(f32FromBits([0x7f800000, 0xff800000, 0x80000000, 0x7f800001, 0xffc00000]));
    expect(Array.from(out)).toEqual([0x7c00, 0xfc00, 0x8000, 0x7e00, 0xfe00]);
  });
});
