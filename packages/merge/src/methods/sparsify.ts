import { mergeError } from '../errors.js';
import { keepTopKInPlace, magnitudeRanks, markTopK } from '../kernels/magnitude-rank.js';
import { type ModelTrim, modelRandom, rowLengthOf, type TensorContext } from './tensor-context.js';

/** How a task vector is sparsified before merging (mergekit names). */
export const SPARSIFICATIONS = [
  'none',
  'magnitude',
  'random',
  'magnitude_outliers',
  'della_magprune',
] as const;
export type Sparsification = (typeof SPARSIFICATIONS)[number];

/**
 * How kept elements are rescaled: `l1_norm` = × ‖δ‖₁/‖δ⊙m‖₁ per tensor (mergekit ≥ 0.1);
 * `inverse_keep_probability` = ÷ keep probability (DARE/DELLA papers, old mergekit; density for
 * deterministic masks); `darex_q` = × 1/q (DAREx-q); `none`.
 */
export const RESCALES = ['none', 'l1_norm', 'inverse_keep_probability', 'darex_q'] as const;
export type Rescale = (typeof RESCALES)[number];

export interface SparsifyParameters {
  /** Fraction of elements kept, in [0, 1]; ≥ 1 leaves δ unchanged. */
  readonly density: number;
  /** Breadcrumbs: fraction of the largest magnitudes removed. */
  readonly gamma?: number;
  /** DELLA: half-width of the keep-probability band; undefined = min(0.15, density, 1 − density). */
  readonly epsilon?: number;
}

export interface SparsifyOptions {
  readonly method: Sparsification;
  readonly rescale: Rescale;
  /** DAREx-q: rescale factor is 1/q. */
  readonly darexQ?: number;
  /**
   * Unit over which magnitude/breadcrumbs trims rank: the whole tensor (mergekit), each row (official
   * Breadcrumbs), or the model's whole flattened task vector (official TIES; magnitude trims only, needs
   * the statistics pass of `mergeCheckpoints`).
   */
  readonly trimScope: 'tensor' | 'row' | 'model';
  /** `exact`: exactly k survive (mergekit); `keep_ties`: all elements equal to the k-th magnitude survive (TIES paper). */
  readonly topKTies: 'exact' | 'keep_ties';
}

export const DELLA_DEFAULT_EPSILON = 0.15;

/** Number kept out of n at `density`: ⌊density·n⌋, but at least 1 when density > 0 (mergekit asserts k > 0). */
export function keptCount(density: number, n: number): number {
  if (density <= 0 || n === 0) return 0;
  return Math.min(n, Math.max(1, Math.floor(density * n)));
}

/** Resolves DELLA's ε: the default shrinks to fit inside [0, 1]; an explicit invalid ε is an error. */
export function dellaEpsilon(density: number, epsilon: number | undefined, name: string): number {
  if (epsilon === undefined) return Math.min(DELLA_DEFAULT_EPSILON, density, 1 - density);
  if (epsilon < 0 || density - epsilon < 0 || density + epsilon > 1) {
    throw mergeError(
      'E_CONFIG',
      `della on tensor '${name}': epsilon ${epsilon} with density ${density} gives keep probabilities outside [0, 1]; ` +
        `use epsilon ≤ ${Math.min(density, 1 - density)} or omit it (default min(0.15, density, 1 - density))`,
    );
  }
  return epsilon;
}

/**
 * Sparsifies the task vector `delta` (in place) for model `modelIndex` and rescales the kept entries.
 * `delta` may be a row chunk of the full tensor (see `TensorContext.offset`); row-scoped and random
 * sparsifiers give the same bits whether or not the tensor is chunked.
 */
export function sparsifyInPlace(
  delta: Float32Array,
  parameters: SparsifyParameters,
  options: SparsifyOptions,
  context: TensorContext,
  modelIndex: number,
): void {
  const { density } = parameters;
  const n = delta.length;
  if (options.method === 'none' || density >= 1) {
    if (options.rescale === 'darex_q' && options.method !== 'none')
      scaleInPlace(delta, 1 / (options.darexQ ?? 1));
    return;
  }
  const l1Before = options.rescale === 'l1_norm' ? l1(delta) : 0;
  if (options.trimScope === 'model') {
    if (options.method !== 'magnitude') {
      throw mergeError(
        'E_CONFIG',
        `trim_scope: model applies to magnitude trims (ties), not to ${options.method}`,
      );
    }
    applyModelTrim(delta, modelTrimOf(context, modelIndex));
    rescale(delta, options, parameters, l1Before, undefined);
    return;
  }
  const rowLength = rowLengthOf(context.shape, n);
  const unit = options.trimScope === 'row' ? rowLength : n;
  let keepProbability: Float32Array | undefined;
  switch (options.method) {
    case 'magnitude': {
      for (let start = 0; start < n; start += unit) {
        const end = Math.min(n, start + unit);
        keepTopKInPlace(delta, keptCount(density, end - start), {
          start,
          end,
          keepTies: options.topKTies === 'keep_ties',
        });
      }
      break;
    }
    case 'magnitude_outliers': {
      const gamma = parameters.gamma ?? 0.01;
      const mask = new Uint8Array(n);
      const top = new Uint8Array(n);
      for (let start = 0; start < n; start += unit) {
        const end = Math.min(n, start + unit);
        const size = end - start;
        let nTop = Math.floor(gamma * size);
        const target = Math.floor(density * size);
        let nBottom = size - target - nTop;
        if (nBottom < 0) {
          nTop += nBottom;
          nBottom = 0;
        }
        // Keep the ranks [nTop, size − nBottom) counted from the largest: top(size − nBottom) minus top(nTop).
        // mergekit's slice [nBottom:-nTop] is empty when nTop = 0 and zeroes the tensor; here nTop = 0 keeps everything above the bottom band.
        markTopK(delta, size - nBottom, mask, { start, end });
        markTopK(delta, nTop, top, { start, end });
      }
      for (let i = 0; i < n; i++) if (top[i] === 1) mask[i] = 0;
      applyMask(delta, mask);
      break;
    }
    case 'random': {
      const random = modelRandom(context, modelIndex);
      const offset = context.offset ?? 0;
      // One 32-bit draw per element: kept when draw < density·2³² (probability error < 2⁻³²).
      const threshold = density * 4294967296;
      for (let i = 0; i < n; i++) if (!(random.uint32(offset + i) < threshold)) delta[i] = 0;
      break;
    }
    case 'della_magprune': {
      const epsilon = dellaEpsilon(density, parameters.epsilon, context.name);
      const random = modelRandom(context, modelIndex);
      const offset = context.offset ?? 0;
      if (options.rescale === 'inverse_keep_probability') keepProbability = new Float32Array(n);
      for (let start = 0; start < n; start += rowLength) {
        const end = Math.min(n, start + rowLength);
        const size = end - start;
        const ranks = magnitudeRanks(delta, start, end);
        for (let j = 0; j < size; j++) {
          // Normalised rank in [0, 1]; a one-element row sits at the middle (mergekit divides 0 by 0 here).
          const normalised = size > 1 ? ranks[j]! / (size - 1) : 0.5;
          const p = density - epsilon + 2 * epsilon * normalised;
          if (keepProbability) keepProbability[start + j] = p;
          if (!(random.uint32(offset + start + j) < p * 4294967296)) delta[start + j] = 0;
        }
      }
      break;
    }
  }
  rescale(delta, options, parameters, l1Before, keepProbability);
}

/** The model's whole-model trim from the context, or a clear error when the statistics pass did not run. */
export function modelTrimOf(context: TensorContext, modelIndex: number): ModelTrim {
  const trim = context.modelTrims?.[modelIndex];
  if (!trim) {
    throw mergeError(
      'E_CONFIG',
      `tensor '${context.name}': trim_scope: model needs the whole-model statistics of mergeCheckpoints (per-tensor calls cannot rank across tensors)`,
    );
  }
  return trim;
}

/** Zeroes the entries below the model threshold, and the equal ones beyond this tensor's share (index order). */
export function applyModelTrim(delta: Float32Array, trim: ModelTrim): void {
  const bits = new Uint32Array(delta.buffer, delta.byteOffset, delta.length);
  const threshold = trim.threshold;
  let equal = 0;
  for (let i = 0; i < bits.length; i++) if ((bits[i]! & 0x7fffffff) === threshold) equal++;
  let allowed = trim.take(equal);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]! & 0x7fffffff;
    if (b < threshold) delta[i] = 0;
    else if (b === threshold) {
      if (allowed > 0) allowed--;
      else delta[i] = 0;
    }
  }
}

function rescale(
  delta: Float32Array,
  options: SparsifyOptions,
  parameters: SparsifyParameters,
  l1Before: number,
  keepProbability: Float32Array | undefined,
): void {
  const { density } = parameters;
  const n = delta.length;
  switch (options.rescale) {
    case 'none':
      break;
    case 'l1_norm': {
      const l1After = l1(delta);
      if (l1Before >= 1e-7 && l1After >= 1e-7) scaleInPlace(delta, l1Before / l1After);
      break;
    }
    case 'inverse_keep_probability':
      if (keepProbability) {
        for (let i = 0; i < n; i++) if (delta[i] !== 0) delta[i] = delta[i]! / keepProbability[i]!;
      } else if (density > 0) scaleInPlace(delta, 1 / density);
      break;
    case 'darex_q':
      scaleInPlace(delta, 1 / (options.darexQ ?? density));
      break;
  }
}

function applyMask(values: Float32Array, mask: Uint8Array): void {
  for (let i = 0; i < values.length; i++) if (mask[i] === 0) values[i] = 0;
}

function scaleInPlace(values: Float32Array, factor: number): void {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor;
}

function l1(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i]!);
  return sum;
}
