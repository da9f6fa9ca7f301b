export { scalingExtrapolateCommand } from './extrapolate.js';
export { scalingFitCommand } from './fit.js';
export { scalingHparamsCommand } from './hparams.js';
export { scalingMixtureCommand } from './mixture.js';
export { scalingOptimalCommand } from './optimal.js';
export { scalingSelectCommand } from './select.js';
