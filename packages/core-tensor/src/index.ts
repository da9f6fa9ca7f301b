// Errors and option validation
export { ModelsmithError, createErrorFactory } from './errors/modelsmith-error.js';
export type { ModelsmithErrorCode, ModelsmithErrorOptions } from './errors/modelsmith-error.js';
export { InvalidOptionsError, parseOptions } from './errors/invalid-options-error.js';

// Progress
export type { ProgressEvent, ProgressCallback } from './progress.js';

// Seeded randomness
export { KeyedRandom, RandomStream, createRandom } from './random/keyed-random.js';
export type { RandomKey } from './random/keyed-random.js';

// --- dtypes, host tensors, codecs, safetensors I/O, checkpoints (io section) ---

// --- kernels, selection, linear algebra, tfjs runtime (compute section) ---
