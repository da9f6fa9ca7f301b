// Public API of @modelsmith/diffusion: named exports only, sorted by module path (advanced/, discrete/,
// grid/, guidance/, model/, schedule/, solvers/, stochastic/, testbed/).

// Beta quantile and log-gamma now come from core-tensor (formerly private copies in grid/); re-exported so
// existing imports from @modelsmith/diffusion keep working.
export { betaQuantile, logGamma } from '@modelsmith/core-tensor';
export type { EmpiricalModelStatistics, EstimateEmsOptions } from './advanced/dpm-solver-v3.js';
export { degenerateEms, dpmSolverV3, estimateEms } from './advanced/dpm-solver-v3.js';
export { pfgmppDenoiser, pfgmppPerturbation, pfgmppRadius, pfgmppSigma } from './advanced/pfgmpp.js';
export type { SolverScheduleSearchOptions, StepRule } from './advanced/solver-schedule.js';
export { runSolverSchedule, searchSolverSchedule } from './advanced/solver-schedule.js';
export type { CategoricalOptions } from './discrete/categorical.js';
export { CategoricalTable, categoricalProbabilities, sampleCategorical } from './discrete/categorical.js';
export type { MaskedDiffusionModel, MaskedSamplerOptions } from './discrete/masked-diffusion.js';
export { firstHittingSample, MASK, maskedAncestralSample } from './discrete/masked-diffusion.js';
export { AYS_SCHEDULES } from './grid/ays-schedules.js';
export { betaCdf } from './grid/beta-cdf.js';
export type { DiffusersTimestepsOptions } from './grid/diffusers-timesteps.js';
export { diffusersTimesteps, timestepToTime } from './grid/diffusers-timesteps.js';
export type { TimeGridKind, TimeGridOptions } from './grid/time-grid.js';
export { makeTimeGrid, TIME_GRID_KINDS } from './grid/time-grid.js';
export type { ClassifierFreeGuidanceOptions } from './guidance/classifier-free-guidance.js';
export { classifierFreeGuidance } from './guidance/classifier-free-guidance.js';
export type { DynamicThresholdingOptions } from './guidance/dynamic-thresholding.js';
export { dynamicThresholding } from './guidance/dynamic-thresholding.js';
export { gradientGuidance } from './guidance/gradient-guidance.js';
export type { DenoiserFn, DiffusionModel, X0Correction } from './model/diffusion-model.js';
export { edmPreconditionedModel, edmPreconditioningCoefficients } from './model/edm-preconditioning.js';
export type { PredictionType } from './model/prediction-type.js';
export { convertPrediction, PREDICTION_TYPES } from './model/prediction-type.js';
export type { BetaScheduleOptions } from './schedule/beta-schedules.js';
export { alphasCumprodFromBetas, makeBetas, rescaleZeroTerminalSnr } from './schedule/beta-schedules.js';
export type { FlowScheduleOptions } from './schedule/flow-schedule.js';
export { flowDynamicShift, flowSchedule, flowShift } from './schedule/flow-schedule.js';
export type { NoiseSchedule } from './schedule/noise-schedule.js';
export type { VeScheduleOptions } from './schedule/ve-schedule.js';
export { veSchedule } from './schedule/ve-schedule.js';
export type { VpCosineScheduleOptions } from './schedule/vp-cosine-schedule.js';
export { vpCosineSchedule } from './schedule/vp-cosine-schedule.js';
export type { VpDiscreteScheduleOptions } from './schedule/vp-discrete-schedule.js';
export { discreteTimestep, vpDiscreteSchedule } from './schedule/vp-discrete-schedule.js';
export type { VpLinearScheduleOptions } from './schedule/vp-linear-schedule.js';
export { vpLinearSchedule } from './schedule/vp-linear-schedule.js';
export { ddim } from './solvers/ddim.js';
export type { DeisOptions } from './solvers/deis.js';
export { deis, ipndm } from './solvers/deis.js';
export type { DpmSolverAdaptiveOptions } from './solvers/dpm-solver-adaptive.js';
export { dpmSolverAdaptive } from './solvers/dpm-solver-adaptive.js';
export type { DpmSolverMultistepOptions } from './solvers/dpm-solver-multistep.js';
export { dpmSolverMultistep } from './solvers/dpm-solver-multistep.js';
export type { DpmSolverSinglestepOptions } from './solvers/dpm-solver-singlestep.js';
export { dpmSolverFastOrders, dpmSolverSinglestep } from './solvers/dpm-solver-singlestep.js';
export { dpm2Sampler } from './solvers/dpm2.js';
export type { EdmSamplerOptions } from './solvers/edm-euler-heun.js';
export { edmSampler } from './solvers/edm-euler-heun.js';
export { flowSampler } from './solvers/flow-solvers.js';
export type { LmsOptions } from './solvers/lms.js';
export { lms } from './solvers/lms.js';
export type { PndmOptions } from './solvers/pndm.js';
export { pndm, pndmStepsForNfe } from './solvers/pndm.js';
export type { SampleOptions, SolverName, StochasticSolverName } from './solvers/sample.js';
export { callsPerInterval, SOLVER_NAMES, STOCHASTIC_SOLVER_NAMES, sample } from './solvers/sample.js';
export type { CommonSolverOptions, PredictionForm, SolverResult } from './solvers/solver-types.js';
export type { UniPcOptions } from './solvers/unipc.js';
export { uniPc } from './solvers/unipc.js';
export type { StochasticOptions } from './stochastic/ancestral-samplers.js';
export {
  ddimEta,
  ddpmAncestral,
  dpmpp2sAncestral,
  eulerAncestral,
  sdeDpmSolverPlusPlus,
} from './stochastic/ancestral-samplers.js';
export type { NoiseSampler } from './stochastic/noise-sampler.js';
export { initialNoise, perSampleNoise } from './stochastic/noise-sampler.js';
export type { SaSolverOptions } from './stochastic/sa-solver.js';
export { saSolver } from './stochastic/sa-solver.js';
export type { GaussianMixture, GaussianMixtureInput } from './testbed/gaussian-mixture.js';
export { createGaussianMixture, mixtureG2, mixtureG8 } from './testbed/gaussian-mixture.js';
export { mixtureModel, mixturePosterior, mixtureStartPoints } from './testbed/mixture-denoiser.js';
export { rk4Reference } from './testbed/rk4-reference.js';
export type {
  RunTestBedOptions,
  TestBedProblem,
  TestBedReport,
  TestBedResult,
} from './testbed/run-test-bed.js';
export {
  fitOrder,
  pointErrors,
  runTestBed,
  runTestBedSolver,
  testBedProblem,
  testBedReference,
} from './testbed/run-test-bed.js';
export { singleGaussianOdeSolution } from './testbed/single-gaussian-ode.js';
export type { TestBedSolver } from './testbed/test-bed-solvers.js';
export { TEST_BED_SOLVERS, testBedDefaults } from './testbed/test-bed-solvers.js';
