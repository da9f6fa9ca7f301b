import { describe, expect, it } from 'vitest';
import { type MlpLayer, pleasMerge } from '../src/beyond/pleas-merge.js';
import { expectClose, pseudoRandom } from './helpers.js';

function layer(inputs: number, outputs: number, seed: number): MlpLayer {
  return {
    weight: pseudoRandom(inputs * outputs, seed),
    bias: pseudoRandom(outputs, seed + 100),
    inputs,
    outputs,
  };
}

/** Model B = model A with hidden units permuted by `perm` (B unit j = A unit perm⁻¹…): a functionally identical network. */
function permuted(model: MlpLayer[], perm: number[]): MlpLayer[] {
  const [first, second] = model as [MlpLayer, MlpLayer];
  const w1 = new Float32Array(first.weight.length);
  const b1 = new Float32Array(first.outputs);
  const w2 = new Float32Array(second.weight.length);
  perm.forEach((from, to) => {
    for (let i = 0; i < first.inputs; i++) w1[to * first.inputs + i] = first.weight[from * first.inputs + i]!;
    b1[to] = first.bias[from]!;
    for (let o = 0; o < second.outputs; o++)
      w2[o * second.inputs + to] = second.weight[o * second.inputs + from]!;
  });
  return [
    { ...first, weight: w1, bias: b1 },
    { ...second, weight: w2 },
  ];
}

function outputs(model: readonly MlpLayer[], data: Float32Array, samples: number): Float64Array {
  let input = Float64Array.from(data);
  model.forEach((l, k) => {
    const out = new Float64Array(samples * l.outputs);
    for (let s = 0; s < samples; s++)
      for (let o = 0; o < l.outputs; o++) {
        let z = l.bias[o]!;
        for (let i = 0; i < l.inputs; i++) z += input[s * l.inputs + i]! * l.weight[o * l.inputs + i]!;
        out[s * l.outputs + o] = k < model.length - 1 ? Math.max(0, z) : z;
      }
    input = out;
  });
  return input;
}

describe('PLeaS', () => {
  const samples = 200;
  const data = pseudoRandom(samples * 4, 9);
  const modelA = [layer(4, 6, 1), layer(6, 3, 2)];

  it('recovers the permutation between functionally identical networks and returns model A', () => {
    const perm = [3, 0, 5, 1, 4, 2];
    const modelB = permuted(modelA, perm);
    const result = pleasMerge(modelA, modelB, data, samples);
    // B's unit `to` holds A's unit perm[to] → A's unit i is matched with B's unit perm⁻¹(i).
    const inverse = new Array(6);
    perm.forEach((from, to) => {
      inverse[from] = to;
    });
    expect(Array.from(result.permutations[0]!)).toEqual(inverse);
    expectClose(result.layers[0]!.weight, modelA[0]!.weight, 1e-3);
    expectClose(result.layers[1]!.bias, modelA[1]!.bias, 1e-3);
  });

  it('fits the ensemble better than plain weight averaging for independent models', () => {
    const modelB = [layer(4, 6, 11), layer(6, 3, 12)];
    const merged = pleasMerge(modelA, modelB, data, samples).layers;
    const naive = modelA.map((l, k) => ({
      ...l,
      weight: l.weight.map((w, i) => (w + modelB[k]!.weight[i]!) / 2),
      bias: l.bias.map((b, i) => (b + modelB[k]!.bias[i]!) / 2),
    }));
    const ya = outputs(modelA, data, samples);
    const yb = outputs(modelB, data, samples);
    const error = (y: Float64Array) => y.reduce((s, v, i) => s + (v - (ya[i]! + yb[i]!) / 2) ** 2, 0);
    expect(error(outputs(merged, data, samples))).toBeLessThan(error(outputs(naive, data, samples)));
  });

  it('rejects mismatched architectures', () => {
    expect(() => pleasMerge(modelA, [layer(4, 5, 1), layer(5, 3, 2)], data, samples)).toThrow(
      /layer 0 is 6×4 in model A and 5×4/,
    );
  });
});
