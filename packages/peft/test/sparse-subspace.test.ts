import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applySparseDifferences,
  ltSftMask,
  maskTensors,
  restoreVariables,
  SubspaceModel,
  snapshotVariables,
  sparseDifference,
  trainVariables,
} from '../src/index.js';
import {
  cpuRuntime,
  maxAbsDiff,
  predictValues as predict,
  tinyMlp,
  mlpInputs as x,
  mlpTargets as y,
} from './helpers.js';

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

const options = { loss: 'meanSquaredError' as const, learningRate: 0.05, epochs: 10, batchSize: 5 };

describe('LT-SFT', () => {
  it('selects the top-K |θ₁ − θ₀|, re-trains only those entries, and composes sparse differences by addition', async () => {
    const model = tinyMlp();
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const theta0 = snapshotVariables(variables);
    await trainVariables(runtime, model, variables, { inputs: x(), targets: y() }, options);
    const theta1 = snapshotVariables(variables);
    const total = theta0.reduce((s, v) => s + v.length, 0);
    const k = Math.round(total * 0.1);
    const masks = ltSftMask(theta0, theta1, k);
    expect(masks.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0)).toBe(k);
    // The mask holds the k largest changes: every masked |Δ| ≥ every unmasked |Δ|.
    const changes = theta0.flatMap((b, i) =>
      Array.from(b, (v, j) => ({ d: Math.abs(theta1[i]![j]! - v), m: masks[i]![j]! })),
    );
    const minMasked = Math.min(...changes.filter((c) => c.m).map((c) => c.d));
    const maxUnmasked = Math.max(...changes.filter((c) => !c.m).map((c) => c.d));
    expect(minMasked).toBeGreaterThanOrEqual(maxUnmasked);
    restoreVariables(runtime, variables, theta0);
    await trainVariables(
      runtime,
      model,
      variables,
      { inputs: x(), targets: y(), gradientMasks: maskTensors(runtime, variables, masks) },
      options,
    );
    const theta2 = snapshotVariables(variables);
    const phi = sparseDifference(theta0, theta2);
    phi.forEach((p, i) => {
      for (const index of p.indices) expect(masks[i]![index]).toBe(1);
    });
    expect(phi.reduce((s, p) => s + p.indices.length, 0)).toBeGreaterThan(k / 2);
    // θ₀ + φ reproduces θ₂ (φ stored in float32); two differences add.
    const rebuilt = applySparseDifferences(theta0, phi);
    for (let i = 0; i < rebuilt.length; i++) expect(maxAbsDiff(rebuilt[i]!, theta2[i]!)).toBeLessThan(1e-6);
    const doubled = applySparseDifferences(theta0, phi, phi);
    expect(
      maxAbsDiff(
        doubled[0]!,
        theta0[0]!.map((v, j) => v + 2 * (theta2[0]![j]! - v)),
      ),
    ).toBeLessThan(1e-6);
  });
});

describe('intrinsic-dimension subspace training', () => {
  for (const [projection, said] of [
    ['dense', false],
    ['fastfood', false],
    ['fastfood', true],
  ] as const) {
    it(`${projection}${said ? ' + SAID' : ''}: identity at d = 0, trains only d${said ? ' and λ' : ''}, merge keeps outputs`, async () => {
      const model = tinyMlp();
      const base = predict(model);
      const subspace = new SubspaceModel(runtime, model, { dimension: 12, projection, said, seed: 4 });
      expect(subspace.totalParameters).toBe(6 * 8 + 8 + 8 * 4 + 4);
      expect(maxAbsDiff(predict(model), base)).toBeLessThan(1e-6);
      const trainable = subspace.trainableVariables();
      expect(trainable.reduce((s, v) => s + v.size, 0)).toBe(12);
      await trainVariables(
        runtime,
        model,
        trainable,
        { inputs: x(), targets: y() },
        { ...options, learningRate: 0.2 },
      );
      const tuned = predict(model);
      expect(maxAbsDiff(tuned, base)).toBeGreaterThan(1e-3);
      const plain = subspace.mergeAndUnload();
      expect(maxAbsDiff(predict(plain), tuned)).toBeLessThan(1e-5);
    });
  }

  it('fastfood projection columns have unit norm in expectation (Monte Carlo over basis vectors, ±25%)', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [64], name: 'wide' })] });
    const subspace = new SubspaceModel(runtime, model, { dimension: 16, projection: 'fastfood', seed: 2 });
    const d = subspace.trainableVariables()[0]!;
    let sum = 0;
    for (let i = 0; i < 16; i++) {
      d.assign(tf.oneHot([i], 16).reshape([16]).toFloat());
      const merged = (subspace as unknown as { projected(s: number, n: number): tf.Tensor }).projected(
        0,
        subspace.totalParameters,
      );
      sum += tf.sum(tf.square(merged)).dataSync()[0]!;
    }
    expect(Math.abs(sum / 16 - 1)).toBeLessThan(0.25);
  });
});
