// Public API of @modelsmith/merge.

export type { DiagonalFisherOptions } from './beyond/diagonal-fisher.js';
export { diagonalFisher } from './beyond/diagonal-fisher.js';
export type { EmrTensorResult } from './beyond/emr-merge.js';
export { emrMergeTensor, emrRescalers, emrTaskTensor } from './beyond/emr-merge.js';
export type { EmrMergeCheckpointsOptions } from './beyond/emr-merge-checkpoints.js';
export { emrMergeCheckpoints } from './beyond/emr-merge-checkpoints.js';
export type { FisherMergeOptions } from './beyond/fisher-merge.js';
export { fisherMerge } from './beyond/fisher-merge.js';
export type { FisherMergeCheckpointsOptions } from './beyond/fisher-merge-checkpoints.js';
export { fisherMergeCheckpoints } from './beyond/fisher-merge-checkpoints.js';
export type { GreedySoupResult, GreedySoupStep } from './beyond/model-soups.js';
export { greedySoup, uniformSoup, wiseFt } from './beyond/model-soups.js';
export type { PcbOptions } from './beyond/pcb-merge.js';
export { pcbMergeTensor } from './beyond/pcb-merge.js';
export type { MlpLayer, PleasOptions, PleasResult } from './beyond/pleas-merge.js';
export { pleasMerge } from './beyond/pleas-merge.js';
export type { RegMeanOptions } from './beyond/regmean-merge.js';
export { regmeanMerge } from './beyond/regmean-merge.js';
export type { TwinExclusive, TwinMergingArtefacts } from './beyond/twin-merging.js';
export {
  routerWeights,
  twinCombine,
  twinExclusiveTensor,
  twinExpand,
  twinMergingArtefacts,
} from './beyond/twin-merging.js';
// Beyond mergekit: in-memory weight sets, data-dependent methods, compressed artefacts
export type { WeightSet } from './beyond/weight-set.js';
export { commonTensorNames } from './beyond/weight-set.js';
export { layerIndexOf, withLayerIndex } from './config/layer-index.js';
export type { MergeConfig, RawParameters, RawParameterValue } from './config/merge-config-schema.js';
export { CONFIG_DTYPES, mergeConfigSchema, parameterValueSchema } from './config/merge-config-schema.js';
export { evaluateParameter, evaluateParameters, gradientAt } from './config/parameter-value.js';
export type { ResolvedMergeConfig } from './config/parse-merge-config.js';
// Recipes
export { parseMergeConfig } from './config/parse-merge-config.js';
export type { CheckpointHeaders, HeaderTensorInfo } from './execute/checkpoint-headers.js';
export type { MergeCheckpointsOptions, MergeResult } from './execute/merge-checkpoints.js';
// Running a mergekit recipe end to end (the path `modelsmith merge` uses)
export { mergeCheckpoints, planMergeCheckpoints, SIDE_FILES } from './execute/merge-checkpoints.js';
export type { MergePlan, PlannedInput, PlannedTensor, PlanOptions } from './execute/merge-plan.js';
export { checkpointPaths, configDtype, countLayers, planMerge } from './execute/merge-plan.js';
export type { KarcherOptions } from './methods/karcher-merge.js';
export { karcherMerge } from './methods/karcher-merge.js';
export { linearMerge } from './methods/linear-merge.js';
export type {
  MergeMethodDefinition,
  MergeMethodName,
  MethodInput,
  ParameterDefinition,
  ParameterValue,
  Preset,
} from './methods/merge-methods.js';
// Method registry and per-tensor methods (Float32Array in, Float32Array out)
export { MERGE_METHODS, mergeMethod, PRESETS } from './methods/merge-methods.js';
export type { ModelStockOptions } from './methods/model-stock-merge.js';
export { modelStockMerge, modelStockRatio } from './methods/model-stock-merge.js';
export type { MultislerpOptions } from './methods/multislerp-merge.js';
export { multislerpMerge } from './methods/multislerp-merge.js';
export { nearswapMerge } from './methods/nearswap-merge.js';
export type { NuslerpOptions } from './methods/nuslerp-merge.js';
export { nuslerpMerge } from './methods/nuslerp-merge.js';
export { resolveMethodParameters } from './methods/resolve-parameters.js';
export { sceMerge } from './methods/sce-merge.js';
export { SLERP_DOT_THRESHOLD, slerpMerge } from './methods/slerp-merge.js';
export type { Rescale, Sparsification, SparsifyOptions, SparsifyParameters } from './methods/sparsify.js';
export {
  DELLA_DEFAULT_EPSILON,
  dellaEpsilon,
  keptCount,
  RESCALES,
  SPARSIFICATIONS,
  sparsifyInPlace,
} from './methods/sparsify.js';
export type { TaskVectorMergeOptions, TaskVectorModelParameters } from './methods/task-vector-merge.js';
export { taskVectorMerge, taskVectorMergeIsRowLocal } from './methods/task-vector-merge.js';
export type { TensorContext } from './methods/tensor-context.js';
