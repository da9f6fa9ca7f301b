import type { TaskVectorMergeOptions } from '../src/methods/task-vector-merge.js';

/** `ties` with mergekit's defaults, as the method resolves them (density comes per model). */
export const TIES_DEFAULTS: TaskVectorMergeOptions = {
  method: 'magnitude',
  rescale: 'none',
  trimScope: 'tensor',
  topKTies: 'exact',
  consensus: 'sum',
  electionInput: 'weighted',
  zeroSign: 'positive',
  normalize: true,
  divisor: 'weight',
  lambda: 1,
};

/** `dare_ties` with mergekit's defaults: random masks, L1 rescale, no normalisation. */
export const DARE_TIES_DEFAULTS: TaskVectorMergeOptions = {
  ...TIES_DEFAULTS,
  method: 'random',
  rescale: 'l1_norm',
  normalize: false,
};
