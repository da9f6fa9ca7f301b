// Public API of @modelsmith/peft: named exports only.

export type { CombinationType, CombineOptionsInput, CombineReport } from './arithmetic/combine-adapters.js';
export {
  COMBINATION_TYPES,
  combineAdapters,
  combineOptionsSchema,
  refactorise,
} from './arithmetic/combine-adapters.js';
export type { CompeftOptionsInput, CompeftReport, CompressedTaskVector } from './arithmetic/compeft.js';
export { compeftCompress, compeftOptionsSchema, compressAdapter } from './arithmetic/compeft.js';
export type { MajoritySignMethod } from './arithmetic/task-vector-rules.js';
// Adapter arithmetic (full ΔW, SVD re-factorisation) and compression
export { darePrune, disjointMerge, magnitudePrune, weightedSum } from './arithmetic/task-vector-rules.js';
export type { ApplyAdapterOptionsInput, ApplyAdapterResult } from './checkpoint/apply-adapter.js';
// Checkpoint-level tools (streaming over safetensors checkpoints)
export { applyAdapterOptionsSchema, applyAdapterToCheckpoint } from './checkpoint/apply-adapter.js';
export type { ExtractAdapterOptionsInput, ExtractReport } from './checkpoint/extract-adapter.js';
export { extractAdapterFromCheckpoints, extractAdapterOptionsSchema } from './checkpoint/extract-adapter.js';
export type { LoraConfig, LoraConfigInput } from './config/lora-config.js';
// Config and PEFT matching rules
export { loraConfigSchema, loraConfigToJson, parseLoraConfig } from './config/lora-config.js';
export type { ModuleLoraParameters } from './config/target-modules.js';
export {
  isTargetModule,
  loraScaling,
  matchesModuleList,
  moduleLoraParameters,
  patternValue,
} from './config/target-modules.js';
// Errors
export { peftError } from './errors.js';
export type { SaveAdapterOptions } from './io/adapter-directory.js';
export {
  ADAPTER_CONFIG_NAME,
  ADAPTER_WEIGHTS_NAME,
  decodeAdapter,
  encodeAdapter,
  loadAdapter,
  saveAdapter,
} from './io/adapter-directory.js';
export type { AdapterDType } from './io/adapter-safetensors.js';
export type { FloatTensor } from './io/float-tensor.js';
// Adapter files (HF PEFT format)
export { floatTensor } from './io/float-tensor.js';
export type { LoraAdapter, LoraModuleKind, LoraModuleWeights } from './io/lora-adapter.js';
export { adapterFromStateDict, adapterToStateDict, KEY_PREFIX, loraModuleKeys } from './io/lora-adapter.js';
export { addLoraDelta, loraDeltaShape, loraDeltaWeight } from './io/lora-delta.js';
export type { LoraAdapterState } from './layers/lora-layer.js';
export { LoraLayer } from './layers/lora-layer.js';
export type { GetPeftModelOptions, NameMapping } from './layers/peft-model.js';
export { collectLayers, getPeftModel, PeftModel } from './layers/peft-model.js';
// tfjs layers and injection
export type { TfRuntime } from './layers/tf-types.js';
// Linear algebra (float64; SVD and QR are core-tensor's)
export { luDecompose } from './linalg/lu-decompose.js';
export type { AdapterPreset, BottleneckAdapterOptions } from './methods/bottleneck-adapters.js';
export { BottleneckAdapterModel } from './methods/bottleneck-adapters.js';
export type { Ia3Options } from './methods/ia3.js';

// Other PEFT methods on tfjs layers
export { Ia3Model } from './methods/ia3.js';
export type { LolduOptions } from './methods/loldu.js';
export { LolduModel } from './methods/loldu.js';
export type { SparseDifference } from './methods/lt-sft.js';
export {
  applySparseDifferences,
  ltSftMask,
  maskTensors,
  restoreVariables,
  snapshotVariables,
  sparseDifference,
} from './methods/lt-sft.js';
export type { SsfOptions } from './methods/ssf.js';
export { layerNormVariables, SsfModel } from './methods/ssf.js';
export type { SubspaceOptions } from './methods/subspace-model.js';
export { SubspaceModel } from './methods/subspace-model.js';
export type { TrainInput, TrainResult } from './training/train.js';
// Training
export { trainPeftModel, trainVariables } from './training/train.js';
export type { TrainOptions, TrainOptionsInput } from './training/train-options.js';
export { trainOptionsSchema } from './training/train-options.js';
