export { peftApplyCommand } from './apply.js';
export { peftCombineCommand } from './combine.js';
export { peftCompressCommand } from './compress.js';
export { peftExtractCommand } from './extract.js';
