export { mergeCommand } from './merge.js';
