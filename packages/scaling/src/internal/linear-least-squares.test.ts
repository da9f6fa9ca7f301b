import { ModelsmithError } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { linearLeastSquares } from './linear-least-squares.js';

// x = 0, 1, 2 and y = 1, 2, 4: x̄ = 1, ȳ = 7/3, Sxy = 3, Sxx = 2 (worked by hand).
const design = [1, 0, 1, 1, 1, 2];
const y = [1, 2, 4];

describe('linearLeastSquares', () => {
  it('ordinary least squares: slope Sxy/Sxx = 1.5, intercept ȳ − 1.5·x̄ = 5/6', () => {
    const beta = linearLeastSquares(design, y, 2);
    expect(beta[0]).toBeCloseTo(5 / 6, 14);
    expect(beta[1]).toBeCloseTo(1.5, 14);
  });
  it('ridge penalises the slope only: slope Sxy/(Sxx + λ) = 1 for λ = 1, intercept ȳ − x̄ = 4/3', () => {
    const beta = linearLeastSquares(design, y, 2, 1);
    expect(beta[0]).toBeCloseTo(4 / 3, 14);
    expect(beta[1]).toBeCloseTo(1, 14);
  });
  it('ridge on every column when interceptFirst is false: (XᵀX + I)β = Xᵀy', () => {
    // XᵀX = [[3, 3], [3, 5]], Xᵀy = [7, 10]; (XᵀX + I)⁻¹Xᵀy = [[6, −3], [−3, 4]]/15 · [7, 10] = [12/15, 19/15].
    const beta = linearLeastSquares(design, y, 2, 1, false);
    expect(beta[0]).toBeCloseTo(12 / 15, 14);
    expect(beta[1]).toBeCloseTo(19 / 15, 14);
  });
  it('a constant feature beside the intercept is a scaling E_NUMERIC error', () => {
    const constant = [1, 2, 1, 2, 1, 2];
    expect(() => linearLeastSquares(constant, y, 2)).toThrow(/@modelsmith\/scaling.*singular/);
    try {
      linearLeastSquares(constant, y, 2);
    } catch (error) {
      expect(error).toBeInstanceOf(ModelsmithError);
      expect((error as ModelsmithError).code).toBe('E_NUMERIC');
    }
    expect(() => linearLeastSquares([1, 0], [1], 2)).toThrow(/singular/);
  });
});
