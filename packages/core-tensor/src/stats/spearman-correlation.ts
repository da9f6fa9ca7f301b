import { averageRanks } from './average-ranks.js';
import { pearsonCorrelation } from './pearson-correlation.js';

/** Spearman's ρ: Pearson's correlation of the average ranks (scipy `spearmanr`); NaN when either is constant. */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonCorrelation(averageRanks(x), averageRanks(y));
}
