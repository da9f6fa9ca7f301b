import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import { createErrorFactory } from '../errors/modelsmith-error.js';
import { type Tensor, toFloat32 } from '../tensor.js';
import type { Runtime } from './create-runtime.js';

const fail = createErrorFactory('core-tensor');

/**
 * A float32 `tf.Tensor` with the host tensor's shape; every dtype is decoded through
 * `toFloat32` (BF16/F16/F8 exactly, integers rounded to float32). The caller owns (disposes) it.
 */
export function toTf(runtime: Runtime, tensor: Tensor): TfTensor {
  return runtime.tf.tensor(toFloat32(tensor), [...tensor.shape], 'float32');
}

/** Downloads a `tf.Tensor` into a fresh host F32 tensor (int32 and bool values are converted). */
export async function fromTf(tensor: TfTensor): Promise<Tensor> {
  if (tensor.dtype === 'string' || tensor.dtype === 'complex64') {
    throw fail(
      'E_DTYPE',
      `fromTf: a ${tensor.dtype} tf.Tensor has no host F32 form; cast it to float32 first`,
    );
  }
  const values = await tensor.data();
  // Always copy: some backends hand out their own storage.
  const data =
    values instanceof Float32Array
      ? new Float32Array(values)
      : Float32Array.from(values as ArrayLike<number>);
  return { dtype: 'F32', shape: [...tensor.shape], data };
}
