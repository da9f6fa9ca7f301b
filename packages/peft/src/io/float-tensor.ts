/** A float32 host tensor in PyTorch/PEFT orientation (row-major). Structurally a core-tensor `Tensor` with dtype F32. */
export interface FloatTensor {
  readonly dtype: 'F32';
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function floatTensor(shape: readonly number[], data?: Float32Array): FloatTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = data ?? new Float32Array(size);
  if (values.length !== size) {
    throw new RangeError(`data length ${values.length} does not match shape [${shape.join(', ')}]`);
  }
  return { dtype: 'F32', shape: [...shape], data: values };
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose2d(data: Float32Array | Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[base + j]!;
  }
  return out;
}
