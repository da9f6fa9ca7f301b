import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ rtol·|expected| (or |actual| < 1e-300 when expected is 0). */
export function expectRelative(actual: number, expected: number, rtol: number): void {
  if (expected === 0) {
    expect(Math.abs(actual)).toBeLessThan(1e-300);
    return;
  }
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  if (!(rel <= rtol))
    throw new Error(`expected ${expected}, got ${actual} (rel ${rel.toExponential(2)} > ${rtol})`);
}
