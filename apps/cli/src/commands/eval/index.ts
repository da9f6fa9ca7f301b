export { evalAdjustCommand } from './adjust.js';
export { evalBootstrapCommand } from './bootstrap.js';
export { evalCalibrationCommand } from './calibration.js';
export { evalFriedmanCommand } from './friedman.js';
export { evalMcnemarCommand } from './mcnemar.js';
export { evalPasskCommand } from './passk.js';
export { evalRankCommand } from './rank.js';
export { evalWilcoxonCommand } from './wilcoxon.js';
