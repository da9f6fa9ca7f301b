import { expect } from 'vitest';

/** |actual − expected| ≤ atol + rtol·|expected|, with a readable failure. */
export function expectClose(actual: number, expected: number, atol: number, rtol = 0): void {
  const tol = atol + rtol * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`expected ${expected} ± ${tol}, got ${actual}`);
  }
}

/** Element-wise `expectClose`. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol = 0,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i]!, expected[i]!, atol, rtol);
}
