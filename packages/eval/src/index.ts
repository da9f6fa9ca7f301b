// Public API of @modelsmith/eval: named exports only.

// Distributions and special functions (the shared ones live in core-tensor; re-exported unchanged)
export {
  binomialCdf,
  binomialPmf,
  binomialSf,
  erfc,
  incompleteBeta,
  incompleteGamma,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
} from '@modelsmith/core-tensor';
export type { CalibrationTests } from './calibration/calibration-tests.js';
// Calibration
export { calibrationTests } from './calibration/calibration-tests.js';
export type { ConfidenceCorrectness } from './calibration/confidence-correctness.js';
export { confidenceCorrectnessCorrelation } from './calibration/confidence-correctness.js';
export type { CalibrationTestResult } from './calibration/cumulative-calibration-tests.js';
export {
  kolmogorovSmirnovCalibrationTest,
  kuiperCalibrationTest,
} from './calibration/cumulative-calibration-tests.js';
export type {
  CumulativeDifferences,
  CumulativeDifferencesOptions,
} from './calibration/cumulative-differences.js';
export { cumulativeDifferences } from './calibration/cumulative-differences.js';
export type { DebiasedEce, DebiasedEceOptions } from './calibration/debiased-ece.js';
export { debiasedEce } from './calibration/debiased-ece.js';
export type { EceOptions } from './calibration/ece.js';
export { classwiseEce, ece, mce, topLabelEce } from './calibration/ece.js';
export type { BinningOptions, ReliabilityBin } from './calibration/reliability-bins.js';
export { reliabilityBins } from './calibration/reliability-bins.js';
export { brierScore, brierScoreMulticlass, logLoss, logLossBinary } from './calibration/scoring-rules.js';
export { spiegelhalterTest } from './calibration/spiegelhalter.js';
export { topLabel } from './calibration/top-label.js';
export type { CochransQResult } from './compare/cochrans-q.js';
// Classifier comparison
export { cochransQ } from './compare/cochrans-q.js';
export type { FoldTestResult, ResampledTTestOptions } from './compare/fold-t-tests.js';
export {
  combinedFTest5x2cv,
  pairedTTest5x2cv,
  pairedTTestKFold,
  pairedTTestResampled,
} from './compare/fold-t-tests.js';
export type { LooneyFResult } from './compare/looney-f.js';
export { looneyF } from './compare/looney-f.js';
export type { McNemarOptions, McNemarResult } from './compare/mcnemar.js';
export { mcnemar } from './compare/mcnemar.js';
export type { McNemarTable } from './compare/mcnemar-table.js';
export { mcnemarTable, mcnemarTables } from './compare/mcnemar-table.js';
export type { PermutationTestOptions, PermutationTestResult } from './compare/permutation-test.js';
export { permutationTest } from './compare/permutation-test.js';
export { proportionDifference } from './compare/proportion-difference.js';
export { brownianMaxAbsCdf, brownianMaxAbsSf } from './distributions/brownian-max-abs.js';
export { brownianRangeCdf, brownianRangeSf } from './distributions/brownian-range.js';
export { chiSquareCdf, chiSquareSf } from './distributions/chi-square.js';
export { fCdf, fSf } from './distributions/f-dist.js';
export { studentTCdf, studentTSf, studentTTwoSided } from './distributions/student-t.js';
export type { ExpPowerLawFit } from './llm/coverage-curve.js';
// LLM evaluation
export { coverageCurve, fitExpPowerLaw } from './llm/coverage-curve.js';
export type { PassAtKDatasetResult, TaskCounts } from './llm/pass-at-k.js';
export { countSamples, passAtK, passAtKDataset } from './llm/pass-at-k.js';
export { passAtKInterval } from './llm/pass-at-k-interval.js';
export type { VerifierResampling } from './llm/verifier-ceiling.js';
export { optimalResamples, verifierCeiling } from './llm/verifier-ceiling.js';
export type { BinaryMetrics } from './metrics/classification-metrics.js';
// Classification metrics and intervals
export {
  averagePerClassAccuracy,
  balancedAccuracy,
  binaryMetrics,
  confusionMatrix,
  liftScore,
} from './metrics/classification-metrics.js';
export type { FeatureImportanceOptions } from './metrics/feature-importance.js';
export { featureImportancePermutation } from './metrics/feature-importance.js';
export type { ProportionIntervalOptions } from './metrics/proportion-interval.js';
export { proportionInterval } from './metrics/proportion-interval.js';
export type { ArenaOptions, ArenaRating } from './ranking/arena-ratings.js';
// Ranking aggregation
export { arenaRatings } from './ranking/arena-ratings.js';
export type { Battle } from './ranking/battles.js';
export type { FitOptions, StrengthFit } from './ranking/bradley-terry.js';
export { fitBradleyTerry, predictWinRates } from './ranking/bradley-terry.js';
export { strongComponents } from './ranking/comparison-graph.js';
export type { EloOptions } from './ranking/elo.js';
export { eloOnline } from './ranking/elo.js';
export type { Ranking } from './ranking/plackett-luce.js';
export { fitPlackettLuce, rankingsFromScores } from './ranking/plackett-luce.js';
export type { RobustnessOptions, RobustnessPoint } from './ranking/robustness-curve.js';
export { robustnessCurve } from './ranking/robustness-curve.js';
export type { RankedModel, ScoreRankingOptions } from './ranking/score-ranking.js';
export { scoreRanking } from './ranking/score-ranking.js';
export type { ScoreMatrix } from './ranking/to-pairwise.js';
export { meanScores, toPairwise } from './ranking/to-pairwise.js';
export type { BiasVarianceOptions, BiasVarianceResult } from './resampling/bias-variance.js';
// Resampling
export { biasVarianceDecomp } from './resampling/bias-variance.js';
export type { BootstrapOptions, BootstrapResult } from './resampling/bootstrap.js';
export { bootstrap } from './resampling/bootstrap.js';
export type { BootstrapInterval, BootstrapIntervalOptions } from './resampling/bootstrap-interval.js';
export { bcaAcceleration, bootstrapInterval } from './resampling/bootstrap-interval.js';
export type { OOBSplit, Point632Options, Point632SplitErrors } from './resampling/point632.js';
export {
  bootstrapOOBSplits,
  bootstrapPoint632,
  noInformationError,
  point632Error,
} from './resampling/point632.js';
export type { CrossValidationResult, NestedCVResult } from './splitters/cross-validate.js';
// Splitters and cross-validation
export { crossValidate, nestedCV } from './splitters/cross-validate.js';
export { groupKFold } from './splitters/group-k-fold.js';
export { predefinedHoldoutSplit, randomHoldoutSplit } from './splitters/holdout-split.js';
export type { ShuffleOptions } from './splitters/k-fold.js';
export { kFold, leaveOneOut, repeatedKFold } from './splitters/k-fold.js';
export type { ShuffleSplitOptions } from './splitters/shuffle-split.js';
export { shuffleSplit } from './splitters/shuffle-split.js';
export type { Split } from './splitters/split.js';
export { stratifiedGroupKFold } from './splitters/stratified-group-k-fold.js';
export { repeatedStratifiedKFold, stratifiedKFold } from './splitters/stratified-k-fold.js';
export type { TimeSeriesSplitOptions } from './splitters/time-series-split.js';
export { timeSeriesSplit } from './splitters/time-series-split.js';
export type { FriedmanResult } from './tests/friedman.js';
// Rank tests, t-tests, correlations, multiple testing
export { friedman } from './tests/friedman.js';
export type { KendallTauOptions, KendallTauResult } from './tests/kendall-tau.js';
export { kendallTau } from './tests/kendall-tau.js';
export type {
  MultipleTestMethod,
  MultipleTestsOptions,
  MultipleTestsResult,
} from './tests/multiple-tests.js';
export { MULTIPLE_TEST_METHODS, multipleTests } from './tests/multiple-tests.js';
export type { NemenyiOptions, NemenyiResult } from './tests/nemenyi.js';
export { nemenyi } from './tests/nemenyi.js';
export { spearman } from './tests/spearman.js';
export { studentizedRangeCdf, studentizedRangeQuantile } from './tests/studentized-range.js';
export type { Alternative, TTestOptions, TTestResult } from './tests/t-test.js';
export { tTestOneSample, tTestPaired, tTestWelch } from './tests/t-test.js';
export type { WilcoxonOptions, WilcoxonResult } from './tests/wilcoxon.js';
export { wilcoxon } from './tests/wilcoxon.js';
