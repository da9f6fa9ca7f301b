import { bf16ToF32 } from '../codecs/bf16.js';
import { f8E4M3ToF32, f8E5M2ToF32 } from '../codecs/f8.js';
import { f16ToF32 } from '../codecs/f16.js';
import type { Tensor } from '../tensor.js';

/** Summary of one tensor. min/max/mean/std are over the finite elements only; null when there are none. */
export interface TensorStats {
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation (ddof = 0, as numpy's default). */
  readonly std: number | null;
  readonly nan: number;
  readonly inf: number;
}

const CHUNK = 1 << 16;

/** Calls `visit` with successive float chunks of the tensor, decoding at most CHUNK elements at a time. */
function forEachChunk(tensor: Tensor, visit: (values: Float32Array | Float64Array) => void): void {
  const { data } = tensor;
  const n = data.length;
  if (tensor.dtype === 'F32' || tensor.dtype === 'F64') {
    visit(data as Float32Array | Float64Array);
    return;
  }
  const scratch = new Float64Array(Math.min(CHUNK, n));
  const scratch32 = new Float32Array(Math.min(CHUNK, n));
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    switch (tensor.dtype) {
      case 'BF16':
        visit(bf16ToF32((data as Uint16Array).subarray(start, end), scratch32).subarray(0, end - start));
        break;
      case 'F16':
        visit(f16ToF32((data as Uint16Array).subarray(start, end), scratch32).subarray(0, end - start));
        break;
      case 'F8_E4M3':
        visit(f8E4M3ToF32((data as Uint8Array).subarray(start, end), scratch32).subarray(0, end - start));
        break;
      case 'F8_E5M2':
        visit(f8E5M2ToF32((data as Uint8Array).subarray(start, end), scratch32).subarray(0, end - start));
        break;
      case 'I64': {
        const source = data as BigInt64Array;
        for (let i = start; i < end; i++) scratch[i - start] = Number(source[i]!);
        visit(scratch.subarray(0, end - start));
        break;
      }
      default: {
        const source = data as Int32Array | Int16Array | Int8Array | Uint8Array;
        for (let i = start; i < end; i++) scratch[i - start] = source[i]!;
        visit(scratch.subarray(0, end - start));
      }
    }
  }
}

/**
 * min, max, mean, std and NaN/Inf counts of any tensor, accumulated in float64 in two
 * passes (mean, then squared deviations) so large tensors with a big mean keep their
 * precision. Decodes at most 65,536 elements at a time.
 */
export function tensorStats(tensor: Tensor): TensorStats {
  let nan = 0;
  let inf = 0;
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  forEachChunk(tensor, (values) => {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (Number.isNaN(x)) nan++;
      else if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) inf++;
      else {
        count++;
        sum += x;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
  });
  if (count === 0) return { min: null, max: null, mean: null, std: null, nan, inf };
  const mean = sum / count;
  let squares = 0;
  forEachChunk(tensor, (values) => {
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (Number.isFinite(x)) squares += (x - mean) * (x - mean);
    }
  });
  return { min, max, mean, std: Math.sqrt(squares / count), nan, inf };
}
