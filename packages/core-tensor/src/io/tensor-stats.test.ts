import { describe, expect, it } from 'vitest';
import { createTensor, fromFloat32 } from '../tensor.js';
import { tensorStats } from './tensor-stats.js';

describe('tensorStats', () => {
  it('matches hand-computed statistics and counts NaN/Inf apart', () => {
    // Finite values 1, 2, 3, 4: mean 2.5, population variance 1.25.
    const t = createTensor(
      'F32',
      [7],
      Float32Array.of(1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, Number.NEGATIVE_INFINITY, 4),
    );
    expect(tensorStats(t)).toEqual({ min: 1, max: 4, mean: 2.5, std: Math.sqrt(1.25), nan: 1, inf: 2 });
  });

  it('decodes BF16, integer and bool tensors, across chunk boundaries', () => {
    const n = 200_001; // more than three 65,536-element chunks
    const values = Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
    // n odd: (n+1)/2 ones and (n-1)/2 minus ones -> mean 1/n, E[x^2] = 1 so variance 1 - 1/n^2.
    const expected = { min: -1, max: 1, mean: 1 / n, nan: 0, inf: 0 };
    for (const dtype of ['BF16', 'F16', 'I8', 'I64', 'F64'] as const) {
      const stats = tensorStats(fromFloat32(values, dtype, [n]));
      expect(stats).toMatchObject(expected);
      expect(stats.std).toBeCloseTo(Math.sqrt(1 - 1 / n ** 2), 12);
    }
    expect(tensorStats(createTensor('BOOL', [4], Uint8Array.of(1, 0, 1, 1)))).toMatchObject({
      min: 0,
      max: 1,
      mean: 0.75,
    });
  });

  it('keeps precision with a large mean (two-pass)', () => {
    const t = createTensor('F64', [3], Float64Array.of(1e9 + 1, 1e9 + 2, 1e9 + 3));
    expect(tensorStats(t).std).toBeCloseTo(Math.sqrt(2 / 3), 9);
  });

  it('returns nulls for empty or all-NaN tensors', () => {
    expect(tensorStats(createTensor('F32', [0]))).toEqual({
      min: null,
      max: null,
      mean: null,
      std: null,
      nan: 0,
      inf: 0,
    });
    expect(tensorStats(createTensor('F16', [2], Uint16Array.of(0x7e00, 0x7c00)))).toEqual({
      min: null,
      max: null,
      mean: null,
      std: null,
      nan: 1,
      inf: 1,
    });
  });
});
