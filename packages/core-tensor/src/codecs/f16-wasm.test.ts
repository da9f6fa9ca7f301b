import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/keyed-random.js';
import { F16_SIMD_MIN_ELEMENTS, f16ToF32, f16ToF32Scalar, f32ToF16, f32ToF16Scalar } from './f16.js';
import { F16_WASM_CHUNK, f16WasmKernels } from './f16-wasm.js';

// The plain-JS loops are the reference here; f16.test.ts checks all three paths against
// values worked out independently from the IEEE fields.

const kernels = f16WasmKernels();

function scalarDecode(bits: Uint16Array): Uint32Array {
  return new Uint32Array(f16ToF32Scalar(bits, new Float32Array(bits.length)).buffer);
}

function scalarEncode(words: Uint32Array): Uint16Array {
  return f32ToF16Scalar(
    new Float32Array(words.buffer, words.byteOffset, words.length),
    new Uint16Array(words.length),
  );
}

/** The SIMD kernel alone over all of `words` (length a multiple of 8). */
function simdEncode(words: Uint32Array): Uint16Array {
  const out = new Uint16Array(words.length);
  kernels!.encode(new Float32Array(words.buffer, words.byteOffset, words.length), out, 0, words.length);
  return out;
}

/** Pads to a multiple of 8 with zeros. */
function padded(words: readonly number[]): Uint32Array {
  const out = new Uint32Array(Math.ceil(words.length / 8) * 8);
  out.set(words);
  return out;
}

/** First index where two arrays differ, or -1 (keeps failure messages short on 65k-element arrays). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Float32 bit pattern of a float64 value that float32 represents exactly. */
function f32Bits(value: number): number {
  const word = new Uint32Array(Float32Array.of(value).buffer)[0]!;
  expect(new Float32Array(Uint32Array.of(word).buffer)[0]).toBe(value);
  return word;
}

/** Magnitude of a finite F16 code 0..0x7bff from its fields; 0x7c00 stands for 65536 (the next step). */
function f16Magnitude(code: number): number {
  if (code === 0x7c00) return 65536;
  const exponent = code >>> 10;
  const mantissa = code & 0x3ff;
  return exponent === 0 ? mantissa * 2 ** -24 : (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

describe('F16 WebAssembly SIMD kernels', () => {
  it('are available on Node 20 (undefined would mean the plain-JS fallback)', () => {
    expect(typeof kernels?.encode).toBe('function');
    expect(typeof kernels?.decode).toBe('function');
  });

  it('decode every one of the 65,536 patterns exactly like the plain-JS decoder', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i;
    const simd = new Float32Array(65536);
    kernels!.decode(all, simd, 0, 65536);
    const reference = scalarDecode(all);
    expect(firstDifference(new Uint32Array(simd.buffer), reference)).toBe(-1);
    // Spot checks worked by hand: subnormal, signalling NaN (kept, not quieted), -0, -Inf.
    const words = new Uint32Array(simd.buffer);
    expect(words[0x0001]).toBe(0x33800000); // 2^-24
    expect(words[0x03ff]).toBe(0x387fc000); // 1023 * 2^-24
    expect(words[0x7c01]).toBe(0x7f802000);
    expect(words[0x8000]).toBe(0x80000000);
    expect(words[0xfc00]).toBe(0xff800000);
    // Through the public function, with the input at an odd 2-byte offset and a tail of 7.
    const backing = new Uint16Array(65536 + 8);
    backing.set(all, 1);
    const publicOut = f16ToF32(backing.subarray(1, 1 + 65535));
    expect(firstDifference(new Uint32Array(publicOut.buffer), reference.subarray(0, 65535))).toBe(-1);
  });

  it('round every F16 neighbourhood like the plain-JS encoder and by the RNE rule', () => {
    // For each finite F16 h (both signs): its exact value, ±1 float32 ulp, the midpoint to h + 1 and
    // ±1 ulp of it. Expected by the rule: below the midpoint -> h, above -> h + 1, at it -> the even one.
    const words: number[] = [];
    const expected: number[] = [];
    const add = (word: number, code: number) => {
      words.push(word >>> 0);
      expected.push(code);
    };
    for (const sign of [0, 0x8000]) {
      const sign32 = sign << 16;
      for (let h = 0; h < 0x7c00; h++) {
        const exact = f32Bits(f16Magnitude(h));
        const mid = f32Bits((f16Magnitude(h) + f16Magnitude(h + 1)) / 2);
        add(sign32 | exact, sign | h);
        add(sign32 | (exact + 1), sign | h);
        if (h > 0) add(sign32 | (exact - 1), sign | h);
        add(sign32 | (mid - 1), sign | h);
        add(sign32 | mid, sign | (h % 2 === 0 ? h : h + 1));
        add(sign32 | (mid + 1), sign | (h + 1));
      }
    }
    const input = padded(words);
    const simd = simdEncode(input).subarray(0, words.length);
    expect(firstDifference(simd, expected)).toBe(-1);
    expect(firstDifference(scalarEncode(input).subarray(0, words.length), expected)).toBe(-1);
    expect(
      firstDifference(f32ToF16(new Float32Array(input.buffer)).subarray(0, words.length), expected),
    ).toBe(-1);
  });

  it('match the plain-JS encoder at every float32 exponent edge, the overflow edge and on NaN payloads', () => {
    const words: number[] = [];
    const mantissas = [
      0, 1, 2, 0xfff, 0x1000, 0x1001, 0x1fff, 0x2000, 0x3fffff, 0x400000, 0x7fe000, 0x7ffffe, 0x7fffff,
    ];
    for (let exponent = 0; exponent < 256; exponent++)
      for (const mantissa of mantissas)
        words.push((exponent << 23) | mantissa, ((exponent << 23) | mantissa | 0x80000000) >>> 0);
    // 65504 (largest finite), the 65520 midpoint, 65536, float32 max.
    for (const word of [0x477fe000, 0x477fefff, 0x477ff000, 0x477ff001, 0x47800000, 0x7f7fffff])
      words.push(word, (word | 0x80000000) >>> 0);
    // NaN with each single payload bit, all bits, only the low 13 (would truncate to Inf), quiet only.
    for (let bit = 0; bit < 23; bit++) words.push(0x7f800000 | (1 << bit), (0xff800000 | (1 << bit)) >>> 0);
    words.push(0x7fffffff, 0xffffffff, 0x7f801fff, 0x7fc00000, 0xffc00000, 0x7fbfffff);
    const input = padded(words);
    const simd = simdEncode(input);
    expect(firstDifference(simd, scalarEncode(input))).toBe(-1);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const abs = word & 0x7fffffff;
      const sign = (word >>> 16) & 0x8000;
      // Rules: NaN -> quiet NaN with the sign and the top 10 payload bits; |x| >= 65520 -> Inf;
      // |x| <= 2^-25 (0x33000000) -> signed zero.
      if (abs > 0x7f800000) expect(simd[i]).toBe(sign | 0x7e00 | ((abs & 0x7fffff) >>> 13));
      else if (abs >= 0x477ff000) expect(simd[i]).toBe(sign | 0x7c00);
      else if (abs <= 0x33000000) expect(simd[i]).toBe(sign);
    }
  });

  it('match the plain-JS encoder on 2^20 uniformly random 32-bit patterns', () => {
    const random = createRandom(20261127, 'f16-wasm', 'encode');
    const words = new Uint32Array(1 << 20);
    for (let i = 0; i < words.length; i++) words[i] = random.integer(i, 2 ** 32);
    expect(firstDifference(simdEncode(words), scalarEncode(words))).toBe(-1);
  });
});

// Random 32-bit patterns, weighted towards the ranges where the lane masks switch.
const word32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 0x32800000, max: 0x38800000 }), // F16 subnormal results
  fc.integer({ min: 0x387fe000, max: 0x38802000 }), // subnormal/normal edge
  fc.integer({ min: 0x477fe000, max: 0x47802000 }), // overflow edge
  fc.integer({ min: 0x7f7fe000, max: 0x7fffffff }), // float32 max, Inf, NaN
  fc.constantFrom(0, 0x80000000, 0x7f800000, 0xff800000, 0x33000000, 0x477ff000),
);

describe('f32ToF16 / f16ToF32 through the SIMD path (fast-check, wasm === JS)', () => {
  it('encode random patterns of any length at unaligned offsets, touching nothing outside', () => {
    fc.assert(
      fc.property(
        fc.array(word32, { minLength: F16_SIMD_MIN_ELEMENTS, maxLength: 300 }),
        fc.boolean(),
        fc.nat(7),
        fc.nat(7),
        (words, negate, inOffset, outOffset) => {
          const source = new Uint32Array(words.length + 8);
          for (let i = 0; i < words.length; i++)
            source[inOffset + i] = negate ? words[i]! ^ 0x80000000 : words[i]!;
          const values = new Float32Array(source.buffer, inOffset * 4, words.length);
          const backing = new Uint16Array(words.length + 8).fill(0xabcd);
          // outOffset odd: the output is 2-byte but not 4-byte aligned.
          const out = f32ToF16(values, backing.subarray(outOffset, outOffset + words.length));
          const reference = scalarEncode(new Uint32Array(source.buffer, inOffset * 4, words.length));
          expect(firstDifference(out, reference)).toBe(-1);
          expect(backing.subarray(0, outOffset).every((v) => v === 0xabcd)).toBe(true);
          expect(backing.subarray(outOffset + words.length).every((v) => v === 0xabcd)).toBe(true);
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('decode random patterns of any length at unaligned offsets, touching nothing outside', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: F16_SIMD_MIN_ELEMENTS, maxLength: 300 }),
        fc.nat(7),
        fc.nat(7),
        (codes, inOffset, outOffset) => {
          const source = new Uint16Array(codes.length + 8);
          source.set(codes, inOffset);
          const bits = source.subarray(inOffset, inOffset + codes.length);
          const backing = new Float32Array(codes.length + 8).fill(-7.5);
          const out = f16ToF32(bits, backing.subarray(outOffset, outOffset + codes.length));
          const words = new Uint32Array(out.buffer, out.byteOffset, out.length);
          expect(firstDifference(words, scalarDecode(Uint16Array.from(codes)))).toBe(-1);
          expect(backing.subarray(0, outOffset).every((v) => v === -7.5)).toBe(true);
          expect(backing.subarray(outOffset + codes.length).every((v) => v === -7.5)).toBe(true);
        },
      ),
      { numRuns: 400, seed: 12 },
    );
  });
});

describe('lengths around the SIMD threshold, the 8-lane step and the chunk size', () => {
  it('give the plain-JS bits for every tail', () => {
    const random = createRandom(5, 'f16-wasm', 'tails');
    const lengths = [
      ...Array.from({ length: 20 }, (_, i) => F16_SIMD_MIN_ELEMENTS - 2 + i),
      F16_WASM_CHUNK - 1,
      F16_WASM_CHUNK,
      F16_WASM_CHUNK + 1,
      2 * F16_WASM_CHUNK + 7,
    ];
    for (const n of lengths) {
      const words = new Uint32Array(n);
      for (let i = 0; i < n; i++) words[i] = random.integer(i, 2 ** 32);
      const encoded = f32ToF16(new Float32Array(words.buffer));
      expect(firstDifference(encoded, scalarEncode(words))).toBe(-1);
      const decoded = f16ToF32(encoded);
      expect(firstDifference(new Uint32Array(decoded.buffer), scalarDecode(encoded))).toBe(-1);
    }
  });
});
