// biome-ignore-all assist/source/organizeImports: the io and compute sections below are kept apart on purpose
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
export { bf16ToF32, f32ToBf16 } from './codecs/bf16.js';
export { f8E4M3ToF32, f8E5M2ToF32 } from './codecs/f8.js';
export { f16ToF32, f32ToF16 } from './codecs/f16.js';
export type { DType } from './dtype.js';
export { DTYPES, dtypeByteSize, isDType, isFloatDType, parseDType } from './dtype.js';
export type { ByteSource } from './io/byte-source.js';
export { blobByteSource, memoryByteSource } from './io/byte-source.js';
export type { Checkpoint, TensorInfo } from './io/checkpoint.js';
export { openCheckpoint, SAFETENSORS_INDEX_FILE } from './io/checkpoint.js';
export type { CheckpointWriter, CheckpointWriterOptions } from './io/checkpoint-writer.js';
export { createCheckpointWriter } from './io/checkpoint-writer.js';
export { fileByteSource } from './io/file-byte-source.js';
export { parseSafetensors, serializeSafetensors } from './io/safetensors-bytes.js';
export type { SafetensorsEntry, SafetensorsHeader } from './io/safetensors-header.js';
export {
  MAX_SAFETENSORS_HEADER_BYTES,
  parseSafetensorsHeader,
  readSafetensorsHeader,
} from './io/safetensors-header.js';
export type { SafetensorsLayout, TensorSpec } from './io/safetensors-layout.js';
export { planSafetensorsLayout } from './io/safetensors-layout.js';
export { openSafetensors } from './io/safetensors-reader.js';
export { writeSafetensorsFile } from './io/write-safetensors-file.js';
export { tensorStats } from './io/tensor-stats.js';
export type { TensorStats } from './io/tensor-stats.js';
export type { Tensor, TensorData } from './tensor.js';
export {
  allocateTensorData,
  createTensor,
  fromFloat32,
  numelOf,
  tensorBytes,
  tensorFromBytes,
  toFloat32,
  toFloat64,
} from './tensor.js';

// --- kernels, selection, linear algebra, tfjs runtime (compute section) ---
export { bernoulliMask } from './kernels/bernoulli-mask.js';
export { absInto, applyMask, axpy, lerp, maskedFill, scale, signInto } from './kernels/elementwise.js';
export type { FloatArray } from './kernels/float-array.js';
export type { QuantileMethod } from './kernels/quantile.js';
export { QUANTILE_METHODS, quantile } from './kernels/quantile.js';
export { quickselect } from './kernels/quickselect.js';
export { dot, l1Norm, l2Norm } from './kernels/reductions.js';
export { topKMagnitudeMask } from './kernels/top-k-magnitude-mask.js';
export { choleskySolve } from './linalg/cholesky-solve.js';
export type { DenseMatrix } from './linalg/dense-matrix.js';
export { createMatrix, identity, transpose } from './linalg/dense-matrix.js';
export { inverse } from './linalg/inverse.js';
export { leastSquares } from './linalg/least-squares.js';
export type { LinearAssignmentOptions } from './linalg/linear-assignment.js';
export { linearAssignment } from './linalg/linear-assignment.js';
export { matmul, matvec } from './linalg/matmul.js';
export type { SvdOptions, SvdResult } from './linalg/svd.js';
export { svd } from './linalg/svd.js';
export type { TruncatedSvdOptions } from './linalg/truncated-svd.js';
export { truncatedSvd } from './linalg/truncated-svd.js';
export type { SymmetricEigenResult } from './linalg/symmetric-eigen.js';
export { symmetricEigen } from './linalg/symmetric-eigen.js';
export { createRuntime, BACKEND_NAMES } from './runtime/create-runtime.js';
export type {
  BackendName,
  Runtime,
  RuntimeCandidateReport,
  RuntimeOptions,
  Tf,
} from './runtime/create-runtime.js';
export { toTf, fromTf } from './runtime/tf-bridge.js';
export type { ThinQrResult } from './linalg/thin-qr.js';
export { thinQr } from './linalg/thin-qr.js';
export type { WasmFunction, WasmFunctionType, WasmModuleSpec } from './wasm/assemble-module.js';
export { bf16RoundLanes } from './codecs/bf16-wasm.js';
export type { KeyedHashLocals, Operand } from './kernels/keyed-hash-wasm.js';
export { KEYED_HASH_MULTIPLIERS, keyedHashConstants, keyedHashLanes } from './kernels/keyed-hash-wasm.js';
export type { WasmWorker } from './wasm/wasm-worker.js';
export { startWasmWorker, WASM_WORKER_CONTROL_BYTES } from './wasm/wasm-worker.js';
export {
  addToLocal,
  assembleModule,
  i32Const,
  i32x4Const,
  instantiateModule,
  localGet,
  localSet,
  loopWhileBelow,
  sharedMemory,
  simdOp,
  sleb,
  uleb,
  WASM_F64,
  WASM_I32,
  WASM_V128,
  wasmOnce,
} from './wasm/assemble-module.js';

// --- statistics shared by the domain packages (stats section) ---
export { averageRanks } from './stats/average-ranks.js';
export type { BenjaminiHochbergOptions } from './stats/benjamini-hochberg.js';
export { benjaminiHochbergAdjusted } from './stats/benjamini-hochberg.js';
export { betaQuantile } from './stats/beta-quantile.js';
export { binomialCdf, binomialPmf, binomialSf } from './stats/binomial-distribution.js';
export { incompleteBeta } from './stats/incomplete-beta.js';
export { incompleteGamma } from './stats/incomplete-gamma.js';
export { logBeta } from './stats/log-beta.js';
export { logGamma } from './stats/log-gamma.js';
export { mean } from './stats/mean.js';
export { erfc, normalCdf, normalPdf, normalQuantile, normalSf } from './stats/normal-distribution.js';
export { pearsonCorrelation } from './stats/pearson-correlation.js';
export { spearmanCorrelation } from './stats/spearman-correlation.js';
export { variance } from './stats/variance.js';
export { sampleGamma } from './random/gamma-sample.js';
export { passAtK, passAtKInputProblem, passAtKUnchecked } from './stats/pass-at-k.js';
export type { VerifierResamplingResult } from './stats/verifier-resampling.js';
export { verifierResampling } from './stats/verifier-resampling.js';

// --- optimisation and curve fitting shared by the domain packages (optimize section) ---
export type { CurveFit, CurveModel, FitCurveOptions } from './optimize/fit-curve.js';
export { fitCurve, startGrid } from './optimize/fit-curve.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStatus, ObjectiveWithGradient } from './optimize/lbfgs.js';
export { minimizeLbfgs } from './optimize/lbfgs.js';
export type { LineFunction, LineSearchOptions, LineSearchResult } from './optimize/more-thuente.js';
export { moreThuente } from './optimize/more-thuente.js';
export type { MultiStartOptions, MultiStartResult } from './optimize/multi-start.js';
export { multiStartLbfgs } from './optimize/multi-start.js';
export type {
  ExpPowerLawCriterion,
  ExpPowerLawFit,
  FitExpPowerLawOptions,
} from './stats/fit-exp-power-law.js';
export { fitExpPowerLaw } from './stats/fit-exp-power-law.js';
