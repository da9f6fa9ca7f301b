import { describe, expect, it, vi } from 'vitest';
import { f16ToF32, f32ToF16 } from './f16.js';
import { f16WasmKernels } from './f16-wasm.js';

// A runtime without WebAssembly SIMD: the kernels module reports none, as `instantiateModule` does
// when `WebAssembly.validate` rejects the SIMD bytes.
vi.mock('./f16-wasm.js', () => ({ F16_WASM_CHUNK: 32768, f16WasmKernels: () => undefined }));

/** Independent reference: the value of an IEEE binary16 pattern from its fields, in float64. */
function f16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

describe('F16 codecs without WebAssembly SIMD', () => {
  it('fall back to the plain-JS loops for large arrays and stay exact', () => {
    expect(f16WasmKernels()).toBeUndefined();
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const decoded = f16ToF32(all);
    const back = f32ToF16(decoded);
    for (let i = 0; i < 65536; i++) {
      const expected = f16Value(i);
      if (Number.isNaN(expected)) {
        // Decoding keeps the payload (bits << 13); encoding quiets it, keeping sign and payload.
        expect(new Uint32Array(decoded.buffer)[i]).toBe(
          (((i & 0x8000) << 16) | 0x7f800000 | ((i & 0x3ff) << 13)) >>> 0,
        );
        expect(back[i]).toBe(i | 0x200);
      } else {
        expect(Object.is(decoded[i], expected)).toBe(true);
        expect(back[i]).toBe(i);
      }
    }
  });

  it('round ties to even past the SIMD threshold (hand-worked values)', () => {
    // [value, F16 bits]: 1 + 2^-11 ties to even 0x3c00; 1 + 3*2^-11 ties up to 0x3c02; 65520 ties to Inf;
    // 2^-25 ties to 0; 3*2^-25 ties to 2 (2^-24 units).
    const table: [number, number][] = [
      [1 + 2 ** -11, 0x3c00],
      [1 + 3 * 2 ** -11, 0x3c02],
      [65520, 0x7c00],
      [2 ** -25, 0x0000],
      [3 * 2 ** -25, 0x0002],
      [-(2 ** -14), 0x8400],
    ];
    const n = 100;
    const values = Float32Array.from({ length: n }, (_, i) => table[i % table.length]![0]);
    const out = f32ToF16(values);
    expect(out.every((bits, i) => bits === table[i % table.length]![1])).toBe(true);
  });
});
