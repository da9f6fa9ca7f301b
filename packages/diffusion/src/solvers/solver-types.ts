import type { X0Correction } from '../model/diffusion-model.js';

/** Result of a sampler run: the final state (flat batch) and the number of model evaluations. */
export interface SolverResult {
  readonly x: Float64Array;
  readonly nfe: number;
}

/** Whether a solver extrapolates the data prediction x0 (DPM-Solver++) or the noise eps (DPM-Solver). */
export type PredictionForm = 'data' | 'noise';

export interface CommonSolverOptions {
  /** Applied in place to every x0 prediction, e.g. `dynamicThresholding(...)`. */
  readonly correctX0?: X0Correction;
}
