import { describe, expect, it } from 'vitest';
import { variance } from './variance.js';

describe('variance', () => {
  it('worked by hand on [1, 2, 3, 4]: Σ(x − 2.5)² = 5', () => {
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
    expect(variance(Float64Array.of(1, 2, 3, 4), 0)).toBe(1.25);
  });
  it('two-pass variance keeps precision with a large offset', () => {
    expect(variance([1e9 + 1, 1e9 + 2, 1e9 + 3])).toBeCloseTo(1, 9);
  });
});
