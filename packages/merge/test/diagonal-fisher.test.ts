import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { diagonalFisher } from '../src/beyond/diagonal-fisher.js';

describe('diagonalFisher (tfjs)', () => {
  it('matches the closed-form softmax-regression gradient: ∂log p_y/∂W[a][c] = x_a (1[c = y] − p_c)', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })],
    });
    const kernel = [0.5, -1, 0.2, 0.3, 0.8, -0.4]; // [in = 2, out = 3]
    const bias = [0.1, 0, -0.2];
    model.setWeights([tf.tensor2d(kernel, [2, 3]), tf.tensor1d(bias)]);
    const xs = [
      [1, 2],
      [-1, 0.5],
      [0.3, -0.7],
      [2, 1],
    ];
    const ys = [0, 2, 1, 2];
    const fisher = await diagonalFisher(tf, model, tf.tensor2d(xs), ys);
    const expectedKernel = new Float64Array(6);
    const expectedBias = new Float64Array(3);
    xs.forEach((x, e) => {
      const logits = [0, 1, 2].map((c) => bias[c]! + x[0]! * kernel[c]! + x[1]! * kernel[3 + c]!);
      const max = Math.max(...logits);
      const exp = logits.map((l) => Math.exp(l - max));
      const total = exp.reduce((a, b) => a + b, 0);
      const p = exp.map((v) => v / total);
      for (let c = 0; c < 3; c++) {
        const r = (c === ys[e] ? 1 : 0) - p[c]!;
        expectedBias[c]! += (r * r) / xs.length;
        for (let a = 0; a < 2; a++) expectedKernel[a * 3 + c]! += (x[a]! * r) ** 2 / xs.length;
      }
    });
    const [kernelName, biasName] = model.trainableWeights.map((w) => w.name);
    const gotKernel = fisher[kernelName!]!;
    const gotBias = fisher[biasName!]!;
    for (let i = 0; i < 6; i++) expect(gotKernel[i]).toBeCloseTo(expectedKernel[i]!, 5);
    for (let i = 0; i < 3; i++) expect(gotBias[i]).toBeCloseTo(expectedBias[i]!, 5);
  });
});
