import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tiesPrepareWasm } from '../src/kernels/ties-prepare-wasm.js';
import { deltaHistogramScalar, prepareTaskVector } from '../src/methods/task-vector.js';
import { pseudoRandom } from './helpers.js';

/**
 * Deltas with exact zeros of both signs (equal model and base, −0 bases), many equal magnitudes of
 * both signs (ties at any threshold) and otherwise distinct values; finite, NaN-free.
 */
function inputs(n: number, seed: number): { model: Float32Array; base: Float32Array } {
  const base = pseudoRandom(n, seed);
  const noise = pseudoRandom(n, seed + 7);
  const model = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = (i * 7919 + seed * 104729) % 13;
    if (r === 0) model[i] = base[i]!;
    else if (r === 1) {
      base[i] = -0;
      model[i] = 0;
    } else if (r === 2) {
      base[i] = 0.5;
      model[i] = 0.75;
    } else if (r === 3) {
      base[i] = 0.5;
      model[i] = 0.25;
    } else model[i] = base[i]! + 0.01 * noise[i]!;
  }
  return { model, base };
}

const bitsOf = (values: Float32Array) => new Uint32Array(values.buffer, values.byteOffset, values.length);

/** The plain-JS trim loop of `trimToTopK` (the semantics the kernel must keep). */
function trimReference(values: Float32Array, bucket: number): number[] {
  const bits = bitsOf(values);
  const candidates: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const hb = (bits[i]! & 0x7fffffff) >>> 16;
    if (hb === bucket) candidates.push(i);
    else values[i] = values[i]! * +(hb > bucket);
  }
  return candidates;
}

describe('TIES preparation WebAssembly kernels', () => {
  it('are available on Node 20', () => {
    expect(tiesPrepareWasm()).toBeDefined();
  });

  it('deltaHistogram: the same delta bits and histogram as the plain-JS pass (property, odd lengths)', () => {
    const kernels = tiesPrepareWasm()!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 10_000 }), (n, seed) => {
        const { model, base } = inputs(n, seed);
        const expected = new Float32Array(n);
        const expectedHigh = new Uint32Array(65536);
        deltaHistogramScalar(expected, model, base, expectedHigh);
        const out = new Float32Array(n);
        const high = new Uint32Array(65536).fill(9); // stale counts must be replaced
        kernels.deltaHistogram(out, model, base, high);
        expect(bitsOf(out)).toEqual(bitsOf(expected));
        expect(high).toEqual(expectedHigh);
        // An identity: the histogram counts every element once.
        expect(high.reduce((a, b) => a + b, 0)).toBe(n);
      }),
      { numRuns: 60 },
    );
  });

  it('deltaHistogram keeps signed zeros: 0 − (−0) = +0, x − x = +0, −0 − 0 = −0', () => {
    const kernels = tiesPrepareWasm()!;
    const model = new Float32Array([0, 1.5, -0, -0, 3, 3, 0, 2]);
    const base = new Float32Array([-0, 1.5, 0, -0, 3, 1, 0, 2]);
    const out = new Float32Array(8);
    const high = new Uint32Array(65536);
    kernels.deltaHistogram(out, model, base, high);
    expect(Array.from(bitsOf(out))).toEqual([0, 0, 0x80000000, 0, 0, 0x40000000, 0, 0]);
    expect(high[0]).toBe(7);
    expect(high[0x4000]).toBe(1);
  });

  it('trim: the same bits and candidate list as the plain-JS loop, ties at the threshold bucket (property)', () => {
    const kernels = tiesPrepareWasm()!;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 4 }),
        (n, seed, pick) => {
          const { model, base } = inputs(n, seed);
          const values = new Float32Array(n);
          for (let i = 0; i < n; i++) values[i] = model[i]! - base[i]!;
          // Buckets that occur (0.25's bucket is shared by many elements, 0 by the zeros) and one that may not.
          const someBucket = (bitsOf(values)[Math.floor(n / 2)]! & 0x7fffffff) >>> 16;
          const bucket = [0x3e80, 0, someBucket, 0x3c00, 0x7fff][pick]!;
          const expected = values.slice();
          const expectedCandidates = trimReference(expected, bucket);
          const candidates = new Int32Array(n);
          const count = kernels.trim(values, bucket, candidates);
          expect(bitsOf(values)).toEqual(bitsOf(expected));
          expect(Array.from(candidates.subarray(0, count))).toEqual(expectedCandidates);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('prepareTaskVector (magnitude, tensor scope, SIMD path) equals a sort-based top-k bit for bit', () => {
    // n ≥ 2048 takes the kernels; the reference is an independent sort-based top-k.
    for (const [n, seed, density, ties] of [
      [4099, 3, 0.5, 'exact'],
      [8192 * 3 + 1, 11, 0.3, 'exact'],
      [10_001, 5, 0.5, 'keep_ties'],
      [2048, 9, 0.9, 'exact'],
    ] as const) {
      const { model, base } = inputs(n, seed);
      const out = new Float32Array(n);
      const options = { method: 'magnitude', rescale: 'none', trimScope: 'tensor', topKTies: ties } as const;
      prepareTaskVector(model, base, out, { density }, options, { name: 't', shape: [n], seed: 1 }, 0);
      // Reference: exact top-k by magnitude (ties: lower index first, or all with keep_ties), zeroing the
      // rest by × 0 (−0 for negatives) outside the threshold bucket and by = 0 inside it, as trimToTopK does.
      const delta = new Float32Array(n);
      for (let i = 0; i < n; i++) delta[i] = model[i]! - base[i]!;
      const bits = bitsOf(delta);
      const k = Math.max(1, Math.floor(density * n)); // keptCount
      const order = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => (bits[b]! & 0x7fffffff) - (bits[a]! & 0x7fffffff) || a - b,
      );
      const threshold = bits[order[k - 1]!]! & 0x7fffffff;
      const kept = new Set(order.slice(0, k));
      const expected = delta.slice();
      for (let i = 0; i < n; i++) {
        const b = bits[i]! & 0x7fffffff;
        if (kept.has(i) || (ties === 'keep_ties' && b === threshold)) continue;
        expected[i] = b >>> 16 === threshold >>> 16 ? 0 : delta[i]! * 0;
      }
      expect(bitsOf(out)).toEqual(bitsOf(expected));
    }
  });
});
