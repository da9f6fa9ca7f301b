// Public API of @modelsmith/conformal: named exports only.

// Risk control
// P(Bin(n, p) ≤ k) is the shared core-tensor function (regularized incomplete beta), re-exported.
export { binomialCdf } from '@modelsmith/core-tensor';
export type { ClassScore } from './classification/class-scores.js';
export { crossConformalClassification } from './classification/cross-conformal-classification.js';
export type {
  ClassScoreOptions,
  SplitConformalClassificationOptions,
  SplitConformalClassificationResult,
} from './classification/split-conformal-classification.js';
// Classification
export {
  allLabelScores,
  classificationScores,
  splitConformalClassification,
} from './classification/split-conformal-classification.js';
export type { TuneRapsOptions } from './classification/tune-raps.js';
export { tuneRaps } from './classification/tune-raps.js';
export type { PValueOptions } from './core/conformal-p-values.js';
export { conformalPValues } from './core/conformal-p-values.js';
// Core
export { conformalRank, lowerConformalRank } from './core/conformal-rank.js';
export { mondrianQuantiles } from './core/mondrian-quantiles.js';
export { benjaminiHochberg, eBenjaminiHochberg } from './core/multiple-testing.js';
export type { SplitQuantile } from './core/split-quantile.js';
export { lowerQuantile, splitQuantile, splitQuantiles } from './core/split-quantile.js';
export type { NumericArray } from './core/validate.js';
export { PROBABILITY_SUM_TOLERANCE } from './core/validate.js';
export { weightedQuantile } from './core/weighted-quantile.js';
export type { IntervalMetrics, SetMetrics } from './metrics/coverage-metrics.js';
// Metrics
export { groupCoverage, intervalMetrics, setMetrics } from './metrics/coverage-metrics.js';
export { piecewiseLinearCrps } from './metrics/piecewise-linear-crps.js';
export { stepCdfCrps } from './metrics/step-cdf-crps.js';
export { kolmogorovSurvival, pValueUniformityTest } from './metrics/uniformity-test.js';
export type { AdaptiveConformal, AdaptiveConformalOptions } from './online/adaptive-conformal.js';
// Online and covariate shift
export {
  aciTrajectory,
  adaptiveConformal,
  createAdaptiveConformal,
} from './online/adaptive-conformal.js';
export type { EnbpiOptions } from './online/enbpi.js';
export { enbpi, enbpiIntervals, enbpiUpdateResiduals } from './online/enbpi.js';
export {
  weightedConformalThresholds,
  weightedSplitConformalRegression,
} from './online/weighted-conformal.js';
// Quantile losses
export {
  intervalScore,
  meanPinballLoss,
  pinballLoss,
  weightedIntervalScore,
} from './quantile/interval-scores.js';
export { isotonicFit, isotonicQuantiles, sortQuantiles } from './quantile/non-crossing.js';
export type {
  AggregationWeights,
  ConformalizeQuantilesOptions,
  FitAggregationOptions,
  QuantilePredictions,
} from './quantile/quantile-aggregation.js';
export {
  aggregateQuantiles,
  conformalizeQuantiles,
  fitQuantileAggregation,
  quantileCalibration,
} from './quantile/quantile-aggregation.js';
export type { CqrInterval, CqrOptions } from './regression/cqr.js';
export { cqr } from './regression/cqr.js';
export type {
  CrossConformalInterval,
  CrossConformalIntervalsOptions,
  CrossConformalMethod,
  CrossConformalRegressionOptions,
  FitPredict,
} from './regression/cross-conformal.js';
export { crossConformalIntervals, crossConformalRegression } from './regression/cross-conformal.js';
export type { PredictiveSystemEvaluation } from './regression/evaluate-predictive-system.js';
export { evaluatePredictiveSystem } from './regression/evaluate-predictive-system.js';
export type { BootstrapFit, JackknifeAfterBootstrapOptions } from './regression/jackknife-after-bootstrap.js';
export { jackknifeAfterBootstrap } from './regression/jackknife-after-bootstrap.js';
export { mondrianSplitConformalRegression } from './regression/mondrian-regression.js';
export { meanPredictiveCrps, predictiveCrps } from './regression/predictive-crps.js';
export type { PredictiveSystem } from './regression/predictive-system.js';
export {
  calibratePredictiveSystem,
  predictiveCdf,
  predictiveInterval,
  predictiveQuantiles,
} from './regression/predictive-system.js';
// Regression
export {
  absoluteResidualScores,
  cqrScores,
  gammaScores,
  normalizedResidualScores,
} from './regression/regression-scores.js';
export type {
  ConformalInterval,
  SplitConformalRegressionOptions,
  SplitConformalRegressionResult,
} from './regression/split-conformal-regression.js';
export { splitConformalRegression } from './regression/split-conformal-regression.js';
export type { ConformalRiskControlOptions, LearnThenTestOptions, RcpsOptions } from './risk/risk-control.js';
export {
  bernsteinUpperBound,
  conformalRiskControl,
  hoeffdingBentkusPValue,
  hoeffdingUpperBound,
  learnThenTest,
  rcps,
  wsrUpperBound,
} from './risk/risk-control.js';
export type { ClippedScores, ConformalSelectionOptions } from './selection/conformal-selection.js';
// Selection
export {
  clippedSelectionScores,
  conformalSelection,
  selectionMetrics,
} from './selection/conformal-selection.js';
export type {
  AugmentedScores,
  OptcsFullModelSelectionOptions,
  OptcsFullOptions,
  OptcsModelSelectionOptions,
  OptcsResult,
} from './selection/optimized-conformal-selection.js';
export {
  optcsEValueSelection,
  optcsFull,
  optcsFullModelSelection,
  optcsModelSelection,
} from './selection/optimized-conformal-selection.js';
export type { Pruning, WeightedConformalSelectionOptions } from './selection/weighted-conformal-selection.js';
export {
  weightedBH,
  weightedConformalSelection,
  weightedSelectionPValues,
} from './selection/weighted-conformal-selection.js';
