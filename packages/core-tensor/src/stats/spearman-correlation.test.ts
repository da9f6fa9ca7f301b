// Reference values from scipy 1.17.1 (stats.pearsonr, stats.spearmanr); the tests need no Python.
import { describe, expect, it } from 'vitest';
import { spearmanCorrelation } from './spearman-correlation.js';

const x = [3.1, 1.2, 5.5, 2.2, 2.2, 9.0, 4.4];
const y = [2.0, 1.0, 7.5, 3.3, 1.5, 8.1, 3.0];

describe('spearmanCorrelation', () => {
  it('matches scipy spearmanr (with a tie)', () =>
    expect(spearmanCorrelation(x, y)).toBeCloseTo(0.8468812149338255, 14));
  it('is 1 for any increasing transform', () => {
    expect(spearmanCorrelation([1, 2, 3, 4], [1, 8, 27, 1000])).toBeCloseTo(1, 15);
  });
});
