import { selectMagnitudeFromHigh } from '../kernels/magnitude-rank.js';
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
  const method = density >= 1 ? 'none' : options.method;
  const scalarRescale =
    options.rescale === 'none' || options.rescale === 'l1_norm'
      ? 1
      : options.rescale === 'darex_q'
        ? 1 / (options.darexQ ?? density)
        : density > 0
          ? 1 / density
          : 1;
  if (method === 'none') {
    for (let i = 0; i < n; i++) out[i] = model[i]! - base[i]!;
    // DAREx-q rescales even at density 1 when a sparsifier is configured; L1/inverse rescales are no-ops there.
    return options.method !== 'none' && options.rescale === 'darex_q' ? scalarRescale : 1;
  }
  if (method === 'magnitude' && options.trimScope === 'tensor') {
    const bits = new Uint32Array(out.buffer, out.byteOffset, n);
    const high = new Uint32Array(65536);
    let l1Before = 0;
    for (let i = 0; i < n; i++) {
      const d = model[i]! - base[i]!;
      out[i] = d;
      l1Before += Math.abs(d);
      high[(bits[i]! & 0x7fffffff) >>> 16]!++;
    }
    const k = keptCount(density, n);
    let l1After = 0;
    if (k <= 0) out.fill(0);
    else if (k < n) {
      const { threshold, above } = selectMagnitudeFromHigh(out, k, high, 0, n);
      const keepTies = options.topKTies === 'keep_ties';
      let equalsAllowed = k - above;
      for (let i = 0; i < n; i++) {
        const b = bits[i]! & 0x7fffffff;
        // Branch-free for the common case; elements exactly at the threshold are rare.
        let keep = +(b > threshold);
        if (b === threshold && (keepTies || equalsAllowed > 0)) {
          keep = 1;
          if (!keepTies) equalsAllowed--;
        }
        const d = out[i]! * keep;
        out[i] = d;
        l1After += Math.abs(d);
      }
    } else l1After = l1Before;
    return options.rescale === 'l1_norm' ? l1Factor(l1Before, l1After) : scalarRescale;
  }
  if (method === 'random') {
    const random = modelRandom(context, modelIndex);
    const offset = context.offset ?? 0;
    const threshold = density * 4294967296;
    let l1Before = 0;
    let l1After = 0;
    for (let i = 0; i < n; i++) {
      const d = model[i]! - base[i]!;
      const magnitude = Math.abs(d);
      l1Before += magnitude;
      if (random.uint32(offset + i) < threshold) {
        out[i] = d;
        l1After += magnitude;
      } else out[i] = 0;
    }
    return options.rescale === 'l1_norm' ? l1Factor(l1Before, l1After) : scalarRescale;
  }
  for (let i = 0; i < n; i++) out[i] = model[i]! - base[i]!;
  sparsifyInPlace(out, parameters, options, context, modelIndex);
  return 1;
}

function l1Factor(before: number, after: number): number {
  return before >= 1e-7 && after >= 1e-7 ? before / after : 1;
}
