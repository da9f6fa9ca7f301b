import { createRandom, type KeyedRandom } from '@modelsmith/core-tensor';

/** Where a per-tensor merge runs: which tensor, its full shape, the seed, and (for row chunks) the offset. */
export interface TensorContext {
  readonly name: string;
  /** Shape of the FULL tensor (a row chunk sees only some of its rows). */
  readonly shape: readonly number[];
  readonly seed: number;
  /** Element offset of the values passed in within the flattened full tensor; 0 unless row-chunked. */
  readonly offset?: number;
  /** Per model: the whole-model trim (`trim_scope: model`), from the statistics pass over every tensor. */
  readonly modelTrims?: readonly (ModelTrim | undefined)[];
}

/**
 * A magnitude threshold over a model's whole flattened task vector: |δ| bits above `threshold` are kept;
 * of the elements equal to it, each tensor (in merge order) keeps the first `take(count)` of its `count`.
 */
export interface ModelTrim {
  readonly threshold: number;
  take(equalCount: number): number;
}

/** Elements per row: product of all dims after the first; 1-D (and 0-D) tensors are one row. */
export function rowLengthOf(shape: readonly number[], length: number): number {
  if (shape.length < 2) return length;
  let n = 1;
  for (let d = 1; d < shape.length; d++) n *= shape[d]!;
  return n;
}

/** The keyed stream for model `modelIndex` of this tensor: independent of processing order and chunking. */
export function modelRandom(context: TensorContext, modelIndex: number): KeyedRandom {
  return createRandom(context.seed, context.name, modelIndex);
}
