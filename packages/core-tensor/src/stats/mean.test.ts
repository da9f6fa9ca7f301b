import { describe, expect, it } from 'vitest';
import { mean } from './mean.js';

describe('mean', () => {
  it('worked by hand', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean(Float64Array.of(-1, 1, 3))).toBe(1);
  });
  it('empty mean is NaN', () => expect(mean([])).toBeNaN());
});
