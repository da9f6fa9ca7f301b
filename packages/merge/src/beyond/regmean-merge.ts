import { choleskySolve, createMatrix, type DenseMatrix } from '@modelsmith/core-tensor';
import { mergeError } from '../errors.js';

export interface RegMeanOptions {
  /** Scale of the off-diagonal Gram entries, α ∈ [0, 1] (FusionBench 0.95; 1 = exact RegMean). */
  readonly alpha?: number;
  /** Weight layout: `out_in` (PyTorch Linear, [out, in], y = x·Wᵀ) or `in_out` (tfjs Dense kernel, y = x·W). Default out_in. */
  readonly layout?: 'out_in' | 'in_out';
}

/**
 * RegMean (Jin et al. 2023) for one linear layer: W* = (Σᵢ Gᵢ)⁻¹ Σᵢ Gᵢ Wᵢ with Gᵢ = XᵢᵀXᵢ the Gram
 * matrix of model i's layer inputs (in × in), off-diagonals scaled by α. Minimises
 * Σᵢ ‖Xᵢ W − Xᵢ Wᵢ‖² (for α = 1). Returns W* in the same layout as the inputs.
 */
export function regmeanMerge(
  weights: readonly Float32Array[],
  grams: readonly DenseMatrix[],
  shape: readonly [number, number],
  options: RegMeanOptions = {},
): Float32Array {
  const alpha = options.alpha ?? 0.95;
  if (!(alpha >= 0 && alpha <= 1))
    throw mergeError('E_INVALID_OPTIONS', `regmeanMerge: alpha must be in [0, 1], got ${alpha}`);
  if (weights.length === 0 || weights.length !== grams.length) {
    throw mergeError(
      'E_INPUT',
      `regmeanMerge: need one Gram matrix per model, got ${weights.length} models and ${grams.length} Gram matrices`,
    );
  }
  const layout = options.layout ?? 'out_in';
  const [rows, cols] = shape;
  const inputs = layout === 'out_in' ? cols : rows;
  const outputs = layout === 'out_in' ? rows : cols;
  const sum = createMatrix(inputs, inputs);
  const rhs = createMatrix(inputs, outputs);
  for (const [m, gram] of grams.entries()) {
    if (gram.rows !== inputs || gram.cols !== inputs) {
      throw mergeError(
        'E_SHAPE_MISMATCH',
        `regmeanMerge: Gram matrix ${m} is ${gram.rows}×${gram.cols}, expected ${inputs}×${inputs} (the layer's input size)`,
      );
    }
    const w = weights[m]!;
    if (w.length !== rows * cols)
      throw mergeError(
        'E_SHAPE_MISMATCH',
        `regmeanMerge: weight ${m} has ${w.length} elements, expected ${rows}×${cols}`,
      );
    for (let a = 0; a < inputs; a++) {
      for (let b = 0; b < inputs; b++) {
        const g = gram.data[a * inputs + b]! * (a === b ? 1 : alpha);
        sum.data[a * inputs + b]! += g;
        if (g === 0) continue;
        // rhs[a][o] += g · W[b][o] in in_out terms.
        for (let o = 0; o < outputs; o++) {
          const wbo = layout === 'out_in' ? w[o * cols + b]! : w[b * cols + o]!;
          rhs.data[a * outputs + o]! += g * wbo;
        }
      }
    }
  }
  let solved: DenseMatrix;
  try {
    solved = choleskySolve(sum, rhs);
  } catch (error) {
    throw mergeError(
      'E_NUMERIC',
      'regmeanMerge: Σ Gᵢ is not positive definite (too few input samples?); lower alpha or supply more data',
      error,
    );
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < inputs; i++) {
    for (let o = 0; o < outputs; o++) {
      const value = solved.data[i * outputs + o]!;
      if (layout === 'out_in') out[o * cols + i] = value;
      else out[i * cols + o] = value;
    }
  }
  return out;
}
