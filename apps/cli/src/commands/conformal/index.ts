export { conformalClassifyCommand } from './classify.js';
export { conformalRegressCommand } from './regress.js';
export { conformalSelectCommand } from './select.js';
