export { diffusionBenchCommand } from './bench.js';
export { diffusionSampleCommand } from './sample.js';
