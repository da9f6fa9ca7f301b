import { thresholdBucket } from '../kernels/magnitude-rank.js';
import { MIX_WASM_CHUNK, mixWasmKernels } from '../kernels/mix-wasm.js';
import { type TiesPrepareKernels, tiesPrepareWasm } from '../kernels/ties-prepare-wasm.js';
import { keptCount, type SparsifyOptions, type SparsifyParameters, sparsifyInPlace } from './sparsify.js';
import { modelRandom, type TensorContext } from './tensor-context.js';

/**
 * Writes the sparsified task vector δ̃ = sparsify(θ − θ₀) into `out` and returns the scalar rescale
 * factor still to be applied to it (the caller folds it into the model's weight, saving a pass).
 * The common cases (no sparsification, tensor-scope magnitude, random) take one to three fused passes;
 * the rest fall back to `sparsifyInPlace`, which rescales in place and returns factor 1.
 * The same values as `sparsifyInPlace` (up to float32 rounding of where the factor is applied).
 */
export function prepareTaskVector(
  model: Float32Array,
  base: Float32Array,
  out: Float32Array,
  parameters: SparsifyParameters,
  options: SparsifyOptions,
  context: TensorContext,
  modelIndex: number,
): number {
  const n = base.length;
  const { density } = parameters;
  const method = effectiveSparsification(density, options);
  const scalarRescale = scalarRescaleFactor(density, options);
  if (method === 'none') {
    for (let i = 0; i < n; i++) out[i] = model[i]! - base[i]!;
    return unsparsifiedFactor(density, options);
  }
  if (method === 'magnitude' && options.trimScope === 'tensor') {
    const bits = new Uint32Array(out.buffer, out.byteOffset, n);
    const needL1 = options.rescale === 'l1_norm';
    const high = new Uint32Array(65536);
    let l1Before = 0;
    const simd = n >= 2048 ? tiesPrepareWasm() : undefined;
    if (simd) simd.deltaHistogram(out, model, base, high);
    else deltaHistogramScalar(out, model, base, high);
    if (needL1) for (let j = 0; j < n; j++) l1Before += Math.abs(out[j]!);
    const k = keptCount(density, n);
    let l1After = 0;
    if (k <= 0) out.fill(0);
    else if (k < n) l1After = trimToTopK(out, bits, high, k, options.topKTies === 'keep_ties', needL1, simd);
    else l1After = l1Before;
    return options.rescale === 'l1_norm' ? l1Factor(l1Before, l1After) : scalarRescale;
  }
  if (method === 'random') {
    const random = modelRandom(context, modelIndex);
    const offset = context.offset ?? 0;
    const threshold = density * 4294967296;
    const needL1 = options.rescale === 'l1_norm';
    let l1Before = 0;
    let l1After = 0;
    // Draws come in bulk (SIMD keyed hash, same bits as random.uint32) one L1-sized block at a time.
    const draws = drawScratch();
    // draw < threshold ⇔ draw < ⌈threshold⌉ for integer draws; the SIMD mask compares u32 lanes.
    const integerThreshold = Math.ceil(threshold);
    const simd = integerThreshold < 4294967296 && n >= 2048 ? mixWasmKernels() : undefined;
    const sums = new Float64Array(2);
    for (let s = 0; s < n; s += draws.length) {
      const e = Math.min(n, s + draws.length);
      random.fillUint32(e - s === draws.length ? draws : draws.subarray(0, e - s), offset + s);
      if (!needL1) {
        if (simd) {
          simd.dareMask(
            out.subarray(s, e),
            model.subarray(s, e),
            base.subarray(s, e),
            draws,
            integerThreshold,
            e - s,
          );
          continue;
        }
        for (let i = s; i < e; i++) out[i] = (model[i]! - base[i]!) * +(draws[i - s]! < threshold);
        continue;
      }
      if (simd) {
        sums[0] = l1Before;
        sums[1] = l1After;
        simd.dareMaskL1(
          out.subarray(s, e),
          model.subarray(s, e),
          base.subarray(s, e),
          draws,
          integerThreshold,
          e - s,
          sums,
        );
        l1Before = sums[0]!;
        l1After = sums[1]!;
        continue;
      }
      for (let i = s; i < e; i++) {
        const d = model[i]! - base[i]!;
        const kept = d * +(draws[i - s]! < threshold);
        out[i] = kept;
        l1Before += Math.abs(d);
        l1After += Math.abs(kept);
      }
    }
    return needL1 ? l1Factor(l1Before, l1After) : scalarRescale;
  }
  for (let i = 0; i < n; i++) out[i] = model[i]! - base[i]!;
  sparsifyInPlace(out, parameters, options, context, modelIndex);
  return 1;
}

/**
 * Keeps the k largest |out| (ties: lower index first, or all of them with `keepTies`) given the
 * histogram of the high 16 magnitude bits; returns the L1 norm of what is kept. One pass decides
 * every element outside the threshold bucket; the few inside it are resolved from a list.
 */
function trimToTopK(
  out: Float32Array,
  bits: Uint32Array,
  high: Uint32Array,
  k: number,
  keepTies: boolean,
  needL1: boolean,
  simd?: TiesPrepareKernels,
): number {
  const n = out.length;
  const selected = thresholdBucket(high, k);
  const bucket = selected.bucket;
  let remaining = selected.remaining;
  const candidates = new Int32Array(high[bucket]!);
  let count = 0;
  let l1 = 0;
  if (simd) count = simd.trim(out, bucket, candidates);
  else
    for (let i = 0; i < n; i++) {
      const hb = (bits[i]! & 0x7fffffff) >>> 16;
      if (hb === bucket) {
        candidates[count++] = i;
        continue;
      }
      out[i] = out[i]! * +(hb > bucket);
    }
  // `remaining` of the candidates (all in index order) survive: select on the low 16 bits.
  const low = new Uint32Array(65536);
  for (let j = 0; j < count; j++) low[bits[candidates[j]!]! & 0xffff]!++;
  const within = thresholdBucket(low, remaining);
  const sub = within.bucket;
  remaining = within.remaining;
  for (let j = 0; j < count; j++) {
    const i = candidates[j]!;
    const lb = bits[i]! & 0xffff;
    let keep = lb > sub;
    if (lb === sub && (keepTies || remaining > 0)) {
      keep = true;
      remaining--;
    }
    if (!keep) out[i] = 0;
  }
  // Only the L1 rescale needs the kept norm; a serial sum costs a pass, so skip it otherwise.
  if (needL1) for (let i = 0; i < n; i++) l1 += Math.abs(out[i]!);
  return l1;
}

/**
 * out = model − base and the histogram of the high 16 bits of |out| (plain JS; the reference for
 * `tiesPrepareWasm().deltaHistogram`). Two interleaved histograms halve the store-to-load chains when neighbours
 * share a bucket; `high` receives their sum.
 */
export function deltaHistogramScalar(
  out: Float32Array,
  model: Float32Array,
  base: Float32Array,
  high: Uint32Array,
  high2 = new Uint32Array(65536),
): void {
  const n = base.length;
  const bits = new Uint32Array(out.buffer, out.byteOffset, n);
  high.fill(0);
  high2.fill(0);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const d0 = model[i]! - base[i]!;
    const d1 = model[i + 1]! - base[i + 1]!;
    out[i] = d0;
    out[i + 1] = d1;
    high[(bits[i]! & 0x7fffffff) >>> 16]!++;
    high2[(bits[i + 1]! & 0x7fffffff) >>> 16]!++;
  }
  if (i < n) {
    out[i] = model[i]! - base[i]!;
    high[(bits[i]! & 0x7fffffff) >>> 16]!++;
  }
  for (let b = 0; b < 65536; b++) high[b]! += high2[b]!;
}

let scratch: Uint32Array | undefined;

/** A reused block of random draws (merging is single-threaded; 32 KiB stays in L1/L2). */
function drawScratch(): Uint32Array {
  scratch ??= new Uint32Array(MIX_WASM_CHUNK);
  return scratch;
}

/** The sparsifier that runs at this density: none at density ≥ 1. */
export function effectiveSparsification(
  density: number,
  options: SparsifyOptions,
): SparsifyOptions['method'] {
  return density >= 1 ? 'none' : options.method;
}

/** The rescale factor that needs no sums: 1/density (inverse keep probability), 1/q (DAREx-q), else 1. */
export function scalarRescaleFactor(density: number, options: SparsifyOptions): number {
  if (options.rescale === 'none' || options.rescale === 'l1_norm') return 1;
  if (options.rescale === 'darex_q') return 1 / (options.darexQ ?? density);
  return density > 0 ? 1 / density : 1;
}

/** The factor of a task vector left whole (density ≥ 1 or no sparsifier). */
export function unsparsifiedFactor(density: number, options: SparsifyOptions): number {
  // DAREx-q rescales even at density 1 when a sparsifier is configured; L1/inverse rescales are no-ops there.
  return options.method !== 'none' && options.rescale === 'darex_q'
    ? scalarRescaleFactor(density, options)
    : 1;
}

/** ‖δ‖₁ / ‖kept‖₁, or 1 when either is (near) zero. */
export function l1Factor(before: number, after: number): number {
  return before >= 1e-7 && after >= 1e-7 ? before / after : 1;
}
