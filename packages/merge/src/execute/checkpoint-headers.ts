/**
 * The header-only view of a checkpoint the planner needs (a structural subset of core-tensor's
 * `Checkpoint`), so plans can be built and tested without reading tensor data.
 */
export interface HeaderTensorInfo {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly byteLength: number;
}

export interface CheckpointHeaders {
  readonly path: string;
  readonly tensors: readonly HeaderTensorInfo[];
  has(name: string): boolean;
  info(name: string): HeaderTensorInfo;
}
