import type { NoiseSchedule } from '../schedule/noise-schedule.js';
import type { PredictionType } from './prediction-type.js';

/**
 * Any denoiser: called with a flat batch `x` (all samples concatenated) and a time `t` of `schedule`,
 * returns its prediction of the declared type, one value per input value.
 */
export type DenoiserFn = (x: Float64Array, t: number) => Float64Array;

export interface DiffusionModel {
  readonly schedule: NoiseSchedule;
  readonly prediction: PredictionType;
  readonly denoise: DenoiserFn;
}

/** A correction applied in place to every x0 prediction (e.g. dynamic thresholding). */
export type X0Correction = (x0: Float64Array, t: number) => void;
