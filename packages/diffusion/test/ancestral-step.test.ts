import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ancestralStep } from '../src/stochastic/ancestral-step.js';

describe('ancestralStep (k-diffusion get_ancestral_step)', () => {
  it('splits sigmaNext into noise and drift: up² + down² = sigmaNext², 0 ≤ up ≤ sigmaNext, eta = 0 is deterministic', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        // frac ≥ 1e-6 keeps sigmaNext² out of the subnormal range, where down = √(next²) is not next.
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sigma, frac, eta) => {
          const sigmaNext = sigma * frac;
          const { up, down } = ancestralStep(sigma, sigmaNext, eta);
          expect(up).toBeGreaterThanOrEqual(0);
          expect(up).toBeLessThanOrEqual(sigmaNext);
          expect(up * up + down * down).toBeCloseTo(sigmaNext * sigmaNext, 10);
          expect(ancestralStep(sigma, sigmaNext, 0)).toEqual({ up: 0, down: sigmaNext });
        },
      ),
    );
  });

  it('eta = 1 matches the DDPM posterior variance in VE form, worked by hand (sigma 2 → 1)', () => {
    // up² = next²(sigma² − next²)/sigma² = 1·3/4, down² = 1 − 3/4 = 1/4.
    const { up, down } = ancestralStep(2, 1, 1);
    expect(up).toBeCloseTo(Math.sqrt(3) / 2, 15);
    expect(down).toBeCloseTo(0.5, 15);
  });
});
