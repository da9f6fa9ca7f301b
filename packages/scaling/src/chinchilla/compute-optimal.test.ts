import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinchillaLoss } from './chinchilla-params.js';
import { chinchillaPresets } from './chinchilla-presets.js';
import { computeForLoss, computeOptimal } from './compute-optimal.js';

// Reference numbers: spec §1.2 "Allocations computed from the formulas (checked)".
describe('computeOptimal', () => {
  it('reproduces the rounded Hoffmann allocation at C = 5.76e23', () => {
    const r = computeOptimal(chinchillaPresets.hoffmann, 5.76e23);
    expect(r.a).toBeCloseTo(0.452, 3);
    expect(r.b).toBeCloseTo(0.548, 3);
    expect(r.G).toBeCloseTo(1.345, 3);
    expect(r.params / 1e10).toBeCloseTo(3.2, 1);
    expect(r.tokens / 1e12).toBeCloseTo(3.0, 1);
    expect(r.tokensPerParam).toBeGreaterThan(92);
    expect(r.tokensPerParam).toBeLessThan(95);
    expect(computeOptimal(chinchillaPresets.hoffmann, 1e21).tokensPerParam).toBeCloseTo(50, 0);
    expect(Math.round(computeOptimal(chinchillaPresets.hoffmann, 1e25).tokensPerParam)).toBe(122);
  });

  it('reproduces the TeX-value and Epoch allocations', () => {
    const tex = computeOptimal(chinchillaPresets['hoffmann-tex'], 5.76e23);
    expect(tex.a).toBeCloseTo(0.457, 3);
    expect(tex.params / 1e10).toBeCloseTo(4.0, 1);
    expect(tex.tokens / 1e12).toBeCloseTo(2.4, 1);
    expect(Math.round(tex.tokensPerParam)).toBe(59);
    const epoch = computeOptimal(chinchillaPresets.epoch, 5.76e23);
    expect(epoch.a).toBeCloseTo(0.513, 3);
    expect(epoch.G).toBeCloseTo(0.12, 3);
    expect(epoch.params / 1e10).toBeCloseTo(7.2, 1);
    expect(epoch.tokens / 1e12).toBeCloseTo(1.3, 1);
    expect(Math.round(epoch.tokensPerParam)).toBe(18);
    expect(computeOptimal(chinchillaPresets.epoch, 1e21).tokensPerParam).toBeCloseTo(21.6, 1);
    expect(computeOptimal(chinchillaPresets.epoch, 1e25).tokensPerParam).toBeCloseTo(17.1, 1);
  });

  it('is the minimiser of L(N, C/(6N)) and satisfies 6·N·D = C (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 18, max: 27, noNaN: true }), (logC) => {
        const c = 10 ** logC;
        const p = chinchillaPresets.epoch;
        const r = computeOptimal(p, c);
        expect((6 * r.params * r.tokens) / c).toBeCloseTo(1, 10);
        for (const factor of [0.9, 1.1]) {
          const n = r.params * factor;
          expect(chinchillaLoss(p, n, c / (6 * n))).toBeGreaterThan(r.loss);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('computeForLoss', () => {
  it('inverts computeOptimal (round trip over budgets)', () => {
    fc.assert(
      fc.property(fc.double({ min: 18, max: 27, noNaN: true }), (logC) => {
        const forward = computeOptimal(chinchillaPresets.hoffmann, 10 ** logC);
        const back = computeForLoss(chinchillaPresets.hoffmann, forward.loss);
        expect(back.compute / forward.compute).toBeCloseTo(1, 8);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a target at or below the irreducible loss', () => {
    expect(() => computeForLoss(chinchillaPresets.epoch, 1.8)).toThrow(/irreducible loss E/);
    expect(() => computeOptimal(chinchillaPresets.epoch, -1)).toThrow(/compute/);
  });
});
