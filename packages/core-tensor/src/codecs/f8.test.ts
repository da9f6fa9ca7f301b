import { describe, expect, it } from 'vitest';
import { f8E4M3ToF32, f8E5M2ToF32 } from './f8.js';

describe('f8E4M3ToF32', () => {
  it('matches hand-worked E4M3FN values (bias 7, no Inf, max 448)', () => {
    const table: [number, number][] = [
      [0x00, 0],
      [0x01, 2 ** -9], // smallest subnormal: 1/8 * 2^-6
      [0x07, 7 * 2 ** -9], // largest subnormal
      [0x08, 2 ** -6], // smallest normal
      [0x38, 1], // exponent 7
      [0x40, 2],
      [0x3c, 1.5],
      [0x78, 256], // exponent 15, mantissa 0 is a number, not Inf
      [0x7e, 448], // max: 1.75 * 2^8
      [0xfe, -448],
      [0xb8, -1],
    ];
    const out = f8E4M3ToF32(Uint8Array.from(table.map(([bits]) => bits)));
    expect(Array.from(out)).toEqual(table.map(([, value]) => value));
    expect(Object.is(f8E4M3ToF32(Uint8Array.of(0x80))[0], -0)).toBe(true);
  });

  it('has exactly two NaNs (0x7f, 0xff) and no infinities', () => {
    const all = f8E4M3ToF32(Uint8Array.from({ length: 256 }, (_, i) => i));
    const nans = [...all.keys()].filter((i) => Number.isNaN(all[i]));
    expect(nans).toEqual([0x7f, 0xff]);
    expect(
      all.some((value) => value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY),
    ).toBe(false);
    expect(Math.max(...all.filter((value) => !Number.isNaN(value)))).toBe(448);
  });
});

describe('f8E5M2ToF32', () => {
  it('matches hand-worked IEEE-like E5M2 values (bias 15)', () => {
    const table: [number, number][] = [
      [0x00, 0],
      [0x01, 2 ** -16], // smallest subnormal: 1/4 * 2^-14
      [0x03, 3 * 2 ** -16],
      [0x04, 2 ** -14], // smallest normal
      [0x3c, 1],
      [0x3e, 1.5],
      [0x40, 2],
      [0x7b, 57344], // max: 1.75 * 2^15
      [0x7c, Number.POSITIVE_INFINITY],
      [0xfc, Number.NEGATIVE_INFINITY],
      [0xbc, -1],
    ];
    const out = f8E5M2ToF32(Uint8Array.from(table.map(([bits]) => bits)));
    expect(Array.from(out)).toEqual(table.map(([, value]) => value));
  });

  it('has NaN exactly at exponent 31 with a non-zero mantissa', () => {
    const all = f8E5M2ToF32(Uint8Array.from({ length: 256 }, (_, i) => i));
    const nans = [...all.keys()].filter((i) => Number.isNaN(all[i]));
    expect(nans).toEqual([0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]);
  });
});
