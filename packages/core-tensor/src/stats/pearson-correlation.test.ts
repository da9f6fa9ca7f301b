// Reference values from scipy 1.17.1 (stats.pearsonr, stats.spearmanr); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { pearsonCorrelation } from './pearson-correlation.js';

const x = [3.1, 1.2, 5.5, 2.2, 2.2, 9.0, 4.4];
const y = [2.0, 1.0, 7.5, 3.3, 1.5, 8.1, 3.0];

describe('pearsonCorrelation', () => {
  it('matches scipy pearsonr', () => expect(pearsonCorrelation(x, y)).toBeCloseTo(0.8990767518326819, 14));
  it('is ±1 on exact lines and NaN for a constant input', () => {
    expect(pearsonCorrelation([1, 2, 3], [5, 7, 9])).toBeCloseTo(1, 15);
    expect(pearsonCorrelation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
