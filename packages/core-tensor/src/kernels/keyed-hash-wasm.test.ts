import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/keyed-random.js';
import { keyedHashWasmKernel } from './keyed-hash-wasm.js';

/** The reference: one `uint32(index)` call per element (the scalar method, independent of the kernel). */
function perElement(seed: number, key: string, start: number, n: number): Uint32Array {
  const random = createRandom(seed, key);
  return Uint32Array.from({ length: n }, (_, j) => random.uint32(start + j));
}

describe('KeyedRandom.fillUint32 (bulk draws)', () => {
  it('has a WebAssembly SIMD kernel on Node 20', () => {
    expect(typeof keyedHashWasmKernel()).toBe('function'); // undefined means no SIMD: the scalar path would run
  });

  it('equals the per-element draws for random starts below and above 2^32 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 + 10 }),
          fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER - 100_000 }),
        ),
        fc.integer({ min: 0, max: 3000 }),
        (seed, start, n) => {
          const bulk = createRandom(seed, 't').fillUint32(new Uint32Array(n), start);
          expect(bulk).toEqual(perElement(seed, 't', start, n));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the counter right across the 2^32 boundary and across kernel chunks', () => {
    for (const start of [2 ** 32 - 5, 2 ** 33 - 20_000, 7 * 2 ** 32 - 1]) {
      const n = 40_003; // more than two 16 Ki chunks, not a multiple of 4
      const bulk = createRandom(3, 'edge').fillUint32(new Uint32Array(n), start);
      expect(bulk).toEqual(perElement(3, 'edge', start, n));
    }
  });

  it('rejects a negative or unsafe start', () => {
    const random = createRandom(1, 'x');
    expect(() => random.fillUint32(new Uint32Array(4), -1)).toThrow(RangeError);
    expect(() => random.fillUint32(new Uint32Array(4), Number.MAX_SAFE_INTEGER - 1)).toThrow(RangeError);
  });
});
