import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/keyed-random.js';
import { bernoulliMask } from './bernoulli-mask.js';

describe('bernoulliMask', () => {
  it('keeps with rate p within 4 standard errors (n = 200k, p = 0.1)', () => {
    const n = 200_000;
    const mask = bernoulliMask(createRandom(11, 'w'), 0.1, n);
    const rate = mask.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(rate - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / n));
  });

  it('is reproducible and chunkable: two halves with start offsets equal the whole', () => {
    const whole = bernoulliMask(createRandom(5, 'layer', 2), 0.5, 1000);
    const again = bernoulliMask(createRandom(5, 'layer', 2), 0.5, 1000);
    const first = bernoulliMask(createRandom(5, 'layer', 2), 0.5, 400);
    const second = bernoulliMask(createRandom(5, 'layer', 2), 0.5, 600, 400);
    expect(again).toEqual(whole);
    expect(Uint8Array.from([...first, ...second])).toEqual(whole);
  });

  it('p = 0 keeps nothing, p = 1 keeps everything; bad p or length is an error', () => {
    expect(bernoulliMask(createRandom(1), 0, 100).every((v) => v === 0)).toBe(true);
    expect(bernoulliMask(createRandom(1), 1, 100).every((v) => v === 1)).toBe(true);
    expect(() => bernoulliMask(createRandom(1), 1.2, 3)).toThrowError(/p must be in \[0, 1\]/);
    expect(() => bernoulliMask(createRandom(1), 0.5, -1)).toThrowError(/length/);
  });
});
