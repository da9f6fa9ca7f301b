import { createMatrix, leastSquares, linearAssignment } from '@modelsmith/core-tensor';
import { mergeError } from '../errors.js';

/** One dense layer of an MLP: y = x·Wᵀ + b with W stored [outputs, inputs] (PyTorch layout). */
export interface MlpLayer {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly inputs: number;
  readonly outputs: number;
}

export interface PleasOptions {
  /** Activation after every layer but the last (default relu). */
  readonly activation?: 'relu' | 'tanh' | 'identity';
  /** Ridge penalty of the least-squares fits (default 1e-6), keeps them well-posed with few samples. */
  readonly ridge?: number;
}

export interface PleasResult {
  readonly layers: readonly MlpLayer[];
  /** Per hidden layer: permutation[i] = the unit of model B matched to unit i of model A. */
  readonly permutations: readonly Int32Array[];
}

type Activation = (z: number) => number;
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  relu: (z) => Math.max(z, 0),
  tanh: Math.tanh,
  identity: (z) => z,
};

/** Forward pass in float64; returns pre-activations Z and features H of every layer (H[−1] = data). */
function forward(layers: readonly MlpLayer[], data: Float64Array, samples: number, activation: Activation) {
  const pre: Float64Array[] = [];
  const features: Float64Array[] = [];
  let input = data;
  layers.forEach((layer, l) => {
    const z = new Float64Array(samples * layer.outputs);
    for (let s = 0; s < samples; s++) {
      for (let o = 0; o < layer.outputs; o++) {
        let sum = layer.bias[o]!;
        for (let i = 0; i < layer.inputs; i++)
          sum += input[s * layer.inputs + i]! * layer.weight[o * layer.inputs + i]!;
        z[s * layer.outputs + o] = sum;
      }
    }
    const h = l < layers.length - 1 ? z.map(activation) : z;
    pre.push(z);
    features.push(h);
    input = h;
  });
  return { pre, features };
}

function correlation(a: Float64Array, b: Float64Array, samples: number, width: number): Float64Array {
  const mean = (x: Float64Array, j: number) => {
    let s = 0;
    for (let r = 0; r < samples; r++) s += x[r * width + j]!;
    return s / samples;
  };
  const meansA = Float64Array.from({ length: width }, (_, j) => mean(a, j));
  const meansB = Float64Array.from({ length: width }, (_, j) => mean(b, j));
  const out = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let cov = 0;
      let va = 0;
      let vb = 0;
      for (let r = 0; r < samples; r++) {
        const x = a[r * width + i]! - meansA[i]!;
        const y = b[r * width + j]! - meansB[j]!;
        cov += x * y;
        va += x * x;
        vb += y * y;
      }
      out[i * width + j] = va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
    }
  }
  return out;
}

function permuteColumns(
  x: Float64Array,
  samples: number,
  width: number,
  permutation: Int32Array,
): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < samples; r++)
    for (let i = 0; i < width; i++) out[r * width + i] = x[r * width + permutation[i]!]!;
  return out;
}

/**
 * PLeaS (Nasery et al. 2025) for two MLPs of the same widths, from data: (1) per hidden layer, match
 * model B's units to model A's by linear assignment on activation correlations (full matching:
 * the merged width equals the original; the paper's partial merging under a width budget is not
 * implemented); (2) per layer, least squares for the merged weights mapping the averaged matched
 * input features to the averaged matched pre-activations.
 */
export function pleasMerge(
  modelA: readonly MlpLayer[],
  modelB: readonly MlpLayer[],
  data: Float32Array,
  samples: number,
  options: PleasOptions = {},
): PleasResult {
  if (modelA.length === 0 || modelA.length !== modelB.length)
    throw mergeError('E_INPUT', `pleasMerge: the models have ${modelA.length} and ${modelB.length} layers`);
  modelA.forEach((layer, l) => {
    const other = modelB[l]!;
    if (layer.inputs !== other.inputs || layer.outputs !== other.outputs) {
      throw mergeError(
        'E_SHAPE_MISMATCH',
        `pleasMerge: layer ${l} is ${layer.outputs}×${layer.inputs} in model A and ${other.outputs}×${other.inputs} in model B`,
      );
    }
    if (layer.weight.length !== layer.inputs * layer.outputs || layer.bias.length !== layer.outputs) {
      throw mergeError(
        'E_SHAPE_MISMATCH',
        `pleasMerge: layer ${l} weight/bias sizes do not match ${layer.outputs}×${layer.inputs}`,
      );
    }
  });
  const d0 = modelA[0]!.inputs;
  if (data.length !== samples * d0)
    throw mergeError(
      'E_SHAPE_MISMATCH',
      `pleasMerge: data has ${data.length} values, expected ${samples}×${d0}`,
    );
  const activation = ACTIVATIONS[options.activation ?? 'relu']!;
  const ridge = options.ridge ?? 1e-6;
  const x = Float64Array.from(data);
  const a = forward(modelA, x, samples, activation);
  const b = forward(modelB, x, samples, activation);
  const permutations: Int32Array[] = [];
  const featuresB: Float64Array[] = [];
  const preB: Float64Array[] = [];
  for (let l = 0; l < modelA.length; l++) {
    const width = modelA[l]!.outputs;
    if (l < modelA.length - 1) {
      const corr = correlation(a.features[l]!, b.features[l]!, samples, width);
      const permutation = linearAssignment(createMatrix(width, width, corr), { maximize: true });
      permutations.push(permutation);
      featuresB.push(permuteColumns(b.features[l]!, samples, width, permutation));
      preB.push(permuteColumns(b.pre[l]!, samples, width, permutation));
    } else {
      featuresB.push(b.features[l]!);
      preB.push(b.pre[l]!);
    }
  }
  const layers: MlpLayer[] = [];
  for (let l = 0; l < modelA.length; l++) {
    const { inputs, outputs } = modelA[l]!;
    const inA = l === 0 ? x : a.features[l - 1]!;
    const inB = l === 0 ? x : featuresB[l - 1]!;
    const columns = inputs + 1;
    const extra = ridge > 0 ? inputs : 0;
    const rows = samples + extra;
    if (rows < columns)
      throw mergeError(
        'E_INPUT',
        `pleasMerge: layer ${l} needs at least ${columns} samples (or ridge > 0), got ${samples}`,
      );
    const design = createMatrix(rows, columns);
    const target = createMatrix(rows, outputs);
    for (let s = 0; s < samples; s++) {
      for (let i = 0; i < inputs; i++)
        design.data[s * columns + i] = (inA[s * inputs + i]! + inB[s * inputs + i]!) / 2;
      design.data[s * columns + inputs] = 1;
      for (let o = 0; o < outputs; o++)
        target.data[s * outputs + o] = (a.pre[l]![s * outputs + o]! + preB[l]![s * outputs + o]!) / 2;
    }
    // Ridge rows √λ·I on the weights (not the bias).
    for (let i = 0; i < extra; i++) design.data[(samples + i) * columns + i] = Math.sqrt(ridge);
    const solution = leastSquares(design, target);
    const weight = new Float32Array(outputs * inputs);
    const bias = new Float32Array(outputs);
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < inputs; i++) weight[o * inputs + i] = solution.data[i * outputs + o]!;
      bias[o] = solution.data[inputs * outputs + o]!;
    }
    layers.push({ weight, bias, inputs, outputs });
  }
  return { layers, permutations };
}
