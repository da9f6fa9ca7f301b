import { pearsonCorrelation } from '@modelsmith/core-tensor';
import { type BinningOptions, checkCalibrationInput, reliabilityBins } from './reliability-bins.js';

export interface ConfidenceCorrectness {
  /** Pearson r between per-bin mean confidence and per-bin accuracy (non-empty bins, unweighted). */
  readonly binCorrelation: number;
  /** OLS slope of per-bin accuracy on per-bin mean confidence (< 1: overconfident; > 1: underconfident). */
  readonly calibrationSlope: number;
  /** Pearson r between each confidence and its 0/1 correctness. */
  readonly sampleCorrelation: number;
  readonly bins: number;
}

/** Confidence–correctness correlation in the AstroMLab 1 style (binning is a parameter). */
export function confidenceCorrectnessCorrelation(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: BinningOptions = {},
): ConfidenceCorrectness {
  checkCalibrationInput(confidence, correct);
  const occupied = reliabilityBins(confidence, correct, options).filter((b) => b.count > 0);
  const conf = occupied.map((b) => b.confidence!);
  const acc = occupied.map((b) => b.accuracy!);
  const mc = conf.reduce((s, v) => s + v, 0) / conf.length;
  const ma = acc.reduce((s, v) => s + v, 0) / acc.length;
  let sxy = 0;
  let sxx = 0;
  conf.forEach((c, i) => {
    sxy += (c - mc) * (acc[i]! - ma);
    sxx += (c - mc) ** 2;
  });
  const y = Array.from(correct, (v) => (v === true || v === 1 ? 1 : 0));
  return {
    binCorrelation: occupied.length >= 2 ? pearsonCorrelation(conf, acc) : Number.NaN,
    calibrationSlope: sxx > 0 ? sxy / sxx : Number.NaN,
    sampleCorrelation: pearsonCorrelation(confidence, y),
    bins: occupied.length,
  };
}
