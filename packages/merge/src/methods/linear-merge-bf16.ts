import { mixWasmKernels } from '../kernels/mix-wasm.js';
import { linearWeights } from './linear-merge.js';
import type { TensorContext } from './tensor-context.js';

/**
 * `linearMerge` of up to 4 BF16 inputs straight into BF16 in one SIMD pass (decode, weighted sum,
 * finiteness check, encode fused; the same bits as decoding, `linearMerge` and encoding). Undefined when
 * it does not apply or a result is not finite (the general path then reports the culprit). The result
 * goes into `output` when given with the right length.
 */
export function linearMergeBf16(
  models: readonly Uint16Array[],
  weights: readonly number[],
  options: { normalize: boolean },
  context: TensorContext,
  output?: Uint16Array,
): Uint16Array | undefined {
  const n = models[0]?.length ?? 0;
  if (models.length > 4 || models.some((m) => m.length !== n)) return undefined;
  const kernels = n >= 2048 ? mixWasmKernels() : undefined;
  if (!kernels) return undefined;
  const factors = linearWeights(weights, options, context);
  // Missing slots repeat the first input with weight 0, as the scalar weighted sum does.
  const pad = (m: number) => models[m] ?? models[0]!;
  const out = output?.length === n ? output : new Uint16Array(n);
  const finite = kernels.linearBf16(
    out,
    [pad(0), pad(1), pad(2), pad(3)],
    [factors[0]!, factors[1] ?? 0, factors[2] ?? 0, factors[3] ?? 0],
    n,
  );
  return finite ? out : undefined;
}
