import { describe, expect, it } from 'vitest';
import { bf16ToF32, f32ToBf16 } from './bf16.js';
import { bf16WasmKernels } from './bf16-wasm.js';

/** Independent reference: the value of a BF16 pattern from its fields, in float64. */
function bf16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 7) & 0xff;
  const mantissa = bits & 0x7f;
  if (exponent === 0xff) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -133; // (m / 128) * 2^-126
  return sign * (1 + mantissa / 128) * 2 ** (exponent - 127);
}

function f32FromBits(bits: readonly number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

describe('bf16ToF32 / f32ToBf16', () => {
  it('decodes all 65,536 patterns to their exact values and encodes them back', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const decoded = bf16ToF32(all);
    const back = f32ToBf16(decoded);
    const signs = new Uint32Array(decoded.buffer);
    for (let i = 0; i < 65536; i++) {
      const expected = bf16Value(i);
      if (Number.isNaN(expected)) {
        expect(Number.isNaN(decoded[i])).toBe(true);
        expect(signs[i]! >>> 31).toBe(i >>> 15);
        // NaN stays NaN with its sign; a signalling NaN comes back quieted.
        expect(back[i]! & 0x7f80).toBe(0x7f80);
        expect(back[i]! & 0x7f).not.toBe(0);
        expect(back[i]! >>> 15).toBe(i >>> 15);
        expect(back[i]).toBe(i | 0x40);
      } else {
        expect(Object.is(decoded[i], expected)).toBe(true);
        expect(back[i]).toBe(i);
      }
    }
  });

  it('rounds float32 to nearest, ties to even, as worked by hand', () => {
    // [float32 bits, expected bf16 bits]: the low 16 bits are what gets rounded away.
    const table: [number, number][] = [
      [0x3f800000, 0x3f80], // 1.0 exact
      [0x3f807fff, 0x3f80], // just below half: down
      [0x3f808000, 0x3f80], // exactly half, 0x3f80 even: down
      [0x3f808001, 0x3f81], // just above half: up
      [0x3f818000, 0x3f82], // exactly half, 0x3f81 odd: up to even
      [0xbfc00000, 0xbfc0], // -1.5 exact
      [0xbf818000, 0xbf82], // negative tie to even
      [0x40490fdb, 0x4049], // pi -> 3.140625
      [0x7f7f7fff, 0x7f7f], // below half under the max: stays finite
      [0x7f7f8000, 0x7f80], // tie at the top, 0x7f7f odd: overflows to +Inf
      [0x7f7fffff, 0x7f80], // float32 max: +Inf
      [0xff7fffff, 0xff80], // -float32 max: -Inf
      [0x7f800000, 0x7f80], // +Inf
      [0xff800000, 0xff80], // -Inf
      [0x00000000, 0x0000], // +0
      [0x80000000, 0x8000], // -0
      [0x00000001, 0x0000], // smallest float32 subnormal: down to 0
      [0x00008000, 0x0000], // subnormal tie, even: 0
      [0x00008001, 0x0001], // above half: smallest bf16 subnormal
      [0x00018000, 0x0002], // subnormal tie, odd: up
      [0x007fffff, 0x0080], // largest float32 subnormal rounds up to the smallest normal
      [0x7f800001, 0x7fc0], // signalling NaN with payload only in the low bits: quieted, not Inf
      [0xff800001, 0xffc0], // same with the sign set
      [0x7fc00000, 0x7fc0], // quiet NaN
      [0x7fffffff, 0x7fff], // NaN with every payload bit: top bits kept
    ];
    const out = f32ToBf16(f32FromBits(table.map(([bits]) => bits)));
    expect(Array.from(out)).toEqual(table.map(([, expected]) => expected));
  });

  it('writes into a caller buffer at an offset', () => {
    const backing = new Float32Array(6);
    const out = bf16ToF32(Uint16Array.of(0x3f80, 0xc000), backing.subarray(2, 4));
    expect(Array.from(backing)).toEqual([0, 0, 1, -2, 0, 0]);
    expect(out.length).toBe(2);
    expect(() => f32ToBf16(new Float32Array(3), new Uint16Array(2))).toThrow(RangeError);
  });
});

describe('f32ToBf16 into a 2-byte-aligned buffer', () => {
  it('gives the same bits as the paired fast path', () => {
    const values = Float32Array.of(1, 1 + 2 ** -8, Number.NaN, -3.75, 1e39 * 0, 3.4e38, -0);
    const backing = new Uint16Array(values.length + 1);
    const shifted = f32ToBf16(values, backing.subarray(1));
    expect(Array.from(shifted)).toEqual(Array.from(f32ToBf16(values)));
    expect(Array.from(shifted)).toEqual([0x3f80, 0x3f80, 0x7fc0, 0xc070, 0x0000, 0x7f80, 0x8000]);
  });
});

describe('the WebAssembly SIMD path (arrays of 4096+ elements)', () => {
  it('is available on Node 20 and agrees bit for bit with the scalar loops, tails included', () => {
    expect(typeof bf16WasmKernels()?.encode).toBe('function'); // undefined means no SIMD on this runtime
    // The hand-worked table above, repeated past the SIMD threshold with an odd tail of 5.
    const table = [
      0x3f800000, 0x3f807fff, 0x3f808000, 0x3f808001, 0x3f818000, 0xbfc00000, 0xbf818000, 0x40490fdb,
      0x7f7f7fff, 0x7f7f8000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x00000000, 0x80000000,
      0x00000001, 0x00008000, 0x00008001, 0x00018000, 0x007fffff, 0x7f800001, 0xff800001, 0x7fc00000,
      0x7fffffff,
    ];
    const expected = [
      0x3f80, 0x3f80, 0x3f80, 0x3f81, 0x3f82, 0xbfc0, 0xbf82, 0x4049, 0x7f7f, 0x7f80, 0x7f80, 0xff80, 0x7f80,
      0xff80, 0x0000, 0x8000, 0x0000, 0x0000, 0x0001, 0x0002, 0x0080, 0x7fc0, 0xffc0, 0x7fc0, 0x7fff,
    ];
    const n = 4096 * 2 + 5;
    const bits = Uint32Array.from({ length: n }, (_, i) => table[i % table.length]!);
    const encoded = f32ToBf16(new Float32Array(bits.buffer));
    expect(encoded.every((value, i) => value === expected[i % expected.length])).toBe(true);
    const decoded = new Uint32Array(bf16ToF32(encoded).buffer);
    expect(decoded.every((value, i) => value === (encoded[i]! << 16) >>> 0)).toBe(true);
  });
});
