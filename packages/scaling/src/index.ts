// Public API of @modelsmith/scaling: named exports only.

// The generic optimiser moved to core-tensor; re-exported so this package's public API is unchanged.
export type {
  CurveFit,
  CurveModel,
  FitCurveOptions,
  LbfgsOptions,
  LbfgsResult,
  LbfgsStatus,
  LineSearchOptions,
  LineSearchResult,
  MultiStartResult,
  ObjectiveWithGradient,
} from '@modelsmith/core-tensor';
export { fitCurve, minimizeLbfgs, moreThuente, multiStartLbfgs, startGrid } from '@modelsmith/core-tensor';
export type {
  BootstrapChinchillaOptions,
  ChinchillaBootstrap,
  ParameterInterval,
} from './chinchilla/bootstrap-chinchilla.js';
export { bootstrapChinchilla } from './chinchilla/bootstrap-chinchilla.js';
export { hoffmannGrid } from './chinchilla/chinchilla-grid.js';
export { chinchillaLogPrediction, huber } from './chinchilla/chinchilla-objective.js';
export type { ChinchillaParams } from './chinchilla/chinchilla-params.js';
export { chinchillaLoss, fromLogVector, toLogVector } from './chinchilla/chinchilla-params.js';
export type { ChinchillaPlotData } from './chinchilla/chinchilla-plot-data.js';
export { chinchillaPlotData } from './chinchilla/chinchilla-plot-data.js';
export type { ChinchillaPresetName } from './chinchilla/chinchilla-presets.js';
export { chinchillaPresets } from './chinchilla/chinchilla-presets.js';
export type { ComputeOptimalAllocation } from './chinchilla/compute-optimal.js';
export { allocationConstants, computeForLoss, computeOptimal } from './chinchilla/compute-optimal.js';
export type { ChinchillaFit } from './chinchilla/fit-chinchilla.js';
export { fitChinchilla } from './chinchilla/fit-chinchilla.js';
export type { ChinchillaPoints, FitChinchillaOptions } from './chinchilla/fit-chinchilla-options.js';
export type { HuberLikelihoodFit } from './chinchilla/fit-huber-likelihood.js';
export { fitChinchillaHuberLikelihood, huberNormalizer } from './chinchilla/fit-huber-likelihood.js';
export type { HeldOutPrediction, HoldOutReport, LeaveOneOutReport } from './chinchilla/robustness.js';
export { holdOutLargest, leaveOneOut } from './chinchilla/robustness.js';
export type { ErrorLawParams, LawFit, OvertrainingParams } from './laws/gadre.js';
export { downstreamError, fitErrorLaw, fitOvertraining, overtrainingLoss } from './laws/gadre.js';
export type { KaplanFit, KaplanNDParams, KaplanNSParams } from './laws/kaplan.js';
export {
  criticalBatchSize,
  fitKaplanND,
  fitKaplanNS,
  kaplanConstants,
  kaplanLossC,
  kaplanLossD,
  kaplanLossN,
  kaplanLossND,
  kaplanLossNS,
  minimumCompute,
  minimumExamples,
  minimumSteps,
} from './laws/kaplan.js';
export type { CoverageLaw } from './laws/repeated-sampling.js';
export {
  coverageAt,
  fitCoverage,
  fitVerifier,
  optimalVerifierBudget,
  passAtK,
  verifierAccuracy,
  verifierCeiling,
  verifierUtility,
} from './laws/repeated-sampling.js';
export type {
  PowerLawBand,
  SaturatingPowerLawFit,
  SaturatingPowerLawParams,
} from './laws/saturating-power-law.js';
export {
  fitSaturatingPowerLaw,
  powerLawPredictionBand,
  saturatingPowerLaw,
} from './laws/saturating-power-law.js';
export type { StepLawConstants, StepLawHyperparameters } from './laws/step-law.js';
export {
  fitStepLaw,
  stepLawBatchSize,
  stepLawConstants,
  stepLawHyperparameters,
  stepLawLearningRate,
} from './laws/step-law.js';
export type { CurveName } from './learning-curve/curve-family.js';
export { curveFamily } from './learning-curve/curve-family.js';
export type { CutoffScore } from './learning-curve/evaluate-extrapolation.js';
export { evaluateExtrapolation } from './learning-curve/evaluate-extrapolation.js';
export type { CurveExtrapolation, ExtrapolateCurveOptions } from './learning-curve/extrapolate-curve.js';
export { extrapolateCurve } from './learning-curve/extrapolate-curve.js';
export type { PriorCurve } from './learning-curve/lc-prior.js';
export { LC_PARAMETERS, lcMean, lcSatisfiesConstraints, sampleLcPrior } from './learning-curve/lc-prior.js';
export type { EarlyStoppingDecision } from './learning-curve/predictive-early-stopping.js';
export { predictiveEarlyStopping } from './learning-curve/predictive-early-stopping.js';
export { sampleDirichlet, sampleGamma } from './mixture/dirichlet.js';
export type { Allocation, AllocationGroup, GroupCurve } from './mixture/equitable-allocation.js';
export { allocateBudget, fitGroupCurve, groupError } from './mixture/equitable-allocation.js';
export { fitLinearRegressor } from './mixture/linear-regressor.js';
export { projectToSimplex, projektorExtrapolate } from './mixture/projektor.js';
export type { RegmixOptions, RegmixResult } from './mixture/regmix.js';
export { regmix, regmixPrior, sampleMixtures, spearman } from './mixture/regmix.js';
export type { GradientBoostingOptions, Regressor } from './mixture/regression-tree-ensemble.js';
export { fitGradientBoosting } from './mixture/regression-tree-ensemble.js';
export type { ZipFitScore } from './mixture/zip-fit.js';
export { normalizedCompressionDistance, zipFit } from './mixture/zip-fit.js';
export type { EnsembleSamplerOptions, EnsembleSamples } from './optimize/ensemble-sampler.js';
export { ensembleSample } from './optimize/ensemble-sampler.js';
export type { LaplaceApproximation } from './optimize/laplace-approximation.js';
export { laplaceApproximation, laplaceDraw } from './optimize/laplace-approximation.js';
