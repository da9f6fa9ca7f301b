import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, dtypeByteSize, isFloatDType, parseDType } from './dtype.js';
import {
  createTensor,
  fromFloat32,
  numelOf,
  tensorBytes,
  tensorFromBytes,
  toFloat32,
  toFloat64,
} from './tensor.js';

describe('dtypes', () => {
  it('has the safetensors names and element sizes', () => {
    expect(DTYPES.map((dtype) => [dtype, dtypeByteSize(dtype)])).toEqual([
      ['F64', 8],
      ['F32', 4],
      ['F16', 2],
      ['BF16', 2],
      ['I64', 8],
      ['I32', 4],
      ['I16', 2],
      ['I8', 1],
      ['U8', 1],
      ['BOOL', 1],
      ['F8_E4M3', 1],
      ['F8_E5M2', 1],
    ]);
    expect(DTYPES.filter(isFloatDType)).toEqual(['F64', 'F32', 'F16', 'BF16', 'F8_E4M3', 'F8_E5M2']);
  });

  it('names the supported values when a dtype is unknown', () => {
    expect(() => parseDType('float32')).toThrow(/unsupported dtype "float32"; supported: F64, F32/);
  });
});

describe('createTensor', () => {
  it('allocates zeros of the storage type and checks lengths', () => {
    const t = createTensor('BF16', [2, 3]);
    expect(t.data).toBeInstanceOf(Uint16Array);
    expect(t.data.length).toBe(6);
    expect(createTensor('F32', []).data.length).toBe(1); // scalar
    expect(createTensor('F32', [4, 0]).data.length).toBe(0);
    expect(() => createTensor('F32', [2, 2], new Float32Array(3))).toThrow(/needs 4 elements, data has 3/);
    expect(() => createTensor('F16', [2], new Float32Array(2))).toThrow(/Uint16Array/);
    expect(() => createTensor('F32', [-1])).toThrow(/invalid dimension -1/);
    expect(() => createTensor('F32', [1.5])).toThrow(/invalid dimension 1.5/);
  });

  it('counts elements', () => {
    expect(numelOf([])).toBe(1);
    expect(numelOf([2, 3, 4])).toBe(24);
    expect(numelOf([5, 0, 7])).toBe(0);
  });
});

describe('toFloat32 / fromFloat32', () => {
  it('round-trips exactly through F32, F64 and back for every float dtype it can encode', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 50 }), (values) => {
        const data = Float32Array.from(values);
        for (const dtype of ['F32', 'F64'] as const) {
          expect(toFloat32(fromFloat32(data, dtype, [data.length]))).toEqual(data);
        }
        // BF16/F16 values re-encode to themselves (encoding is idempotent on representable values).
        for (const dtype of ['BF16', 'F16'] as const) {
          const once = toFloat32(fromFloat32(data, dtype, [data.length]));
          expect(toFloat32(fromFloat32(once, dtype, [data.length]))).toEqual(once);
        }
      }),
    );
  });

  it('rounds integers half to even and saturates', () => {
    const data = Float32Array.of(2.5, 3.5, -2.5, -0.4, 300, -300, Number.NaN, 1e12);
    expect([...fromFloat32(data, 'I8', [8]).data]).toEqual([2, 4, -2, 0, 127, -128, 0, 127]);
    expect([...fromFloat32(data, 'U8', [8]).data]).toEqual([2, 4, 0, 0, 255, 0, 0, 255]);
    expect([...fromFloat32(data, 'I32', [8]).data]).toEqual([2, 4, -2, 0, 300, -300, 0, 2147483647]);
    expect([...fromFloat32(data, 'BOOL', [8]).data]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...fromFloat32(Float32Array.of(0, -0), 'BOOL', [2]).data]).toEqual([0, 0]);
    expect([...fromFloat32(Float32Array.of(-3.5, 7), 'I64', [2]).data]).toEqual([-4n, 7n]);
  });

  it('decodes integer and bool dtypes', () => {
    expect(Array.from(toFloat64(createTensor('I64', [2], BigInt64Array.of(-5n, 2n ** 40n))))).toEqual([
      -5,
      2 ** 40,
    ]);
    expect(Array.from(toFloat32(createTensor('BOOL', [2], Uint8Array.of(0, 1))))).toEqual([0, 1]);
    expect(Array.from(toFloat64(createTensor('BF16', [1], Uint16Array.of(0x3fc0))))).toEqual([1.5]);
  });

  it('decodes into a reused buffer', () => {
    const out = new Float32Array(4).fill(9);
    const view = toFloat32(createTensor('BF16', [2], Uint16Array.of(0x3f80, 0xc000)), out);
    expect([...view]).toEqual([1, -2]);
    expect(view.buffer).toBe(out.buffer);
    expect([...toFloat32(createTensor('I16', [3], Int16Array.of(-1, 0, 7)), out)]).toEqual([-1, 0, 7]);
    expect(() => toFloat32(createTensor('F32', [5]), out)).toThrow(/out has 4 elements, the tensor has 5/);
  });

  it('refuses to encode F8', () => {
    expect(() => fromFloat32(new Float32Array(1), 'F8_E4M3', [1])).toThrow(/decode only/);
  });
});

describe('tensorFromBytes', () => {
  it('copies unaligned bytes into an aligned buffer and views aligned ones', () => {
    const backing = new Uint8Array(9);
    new DataView(backing.buffer).setFloat32(1, 1.25, true);
    new DataView(backing.buffer).setFloat32(5, -3, true);
    const unaligned = tensorFromBytes('F32', [2], backing.subarray(1, 9));
    expect(Array.from(unaligned.data as Float32Array)).toEqual([1.25, -3]);
    expect(unaligned.data.buffer).not.toBe(backing.buffer);
    const aligned = tensorFromBytes('U8', [9], backing);
    expect(aligned.data.buffer).toBe(backing.buffer);
    expect(tensorBytes(unaligned)).toEqual(backing.subarray(1, 9));
  });
});
