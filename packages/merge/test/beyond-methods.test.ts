import { createMatrix } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emrMergeTensor, emrRescalers, emrTaskTensor } from '../src/beyond/emr-merge.js';
import { fisherMerge } from '../src/beyond/fisher-merge.js';
import { greedySoup, uniformSoup, wiseFt } from '../src/beyond/model-soups.js';
import { pcbMergeTensor } from '../src/beyond/pcb-merge.js';
import { regmeanMerge } from '../src/beyond/regmean-merge.js';
import {
  routerWeights,
  twinCombine,
  twinExclusiveTensor,
  twinExpand,
  twinMergingArtefacts,
} from '../src/beyond/twin-merging.js';
import { expectClose, pseudoRandom, runMethod } from './helpers.js';

const f32 = (x: number[]) => Float32Array.from(x);

describe('model soups and WiSE-FT', () => {
  it('uniform soup is the mean; WiSE-FT is (1 − α)θ₀ + αθ₁', () => {
    expectClose(uniformSoup([{ w: f32([1, 2]) }, { w: f32([3, 6]) }, { w: f32([2, 1]) }]).w!, [2, 3]);
    expectClose(wiseFt({ w: f32([0, 10]) }, { w: f32([4, 0]) }, 0.25).w!, [1, 7.5]);
    expect(() => wiseFt({ w: f32([0]) }, { w: f32([1]) }, 1.5)).toThrow(/alpha must be in \[0, 1\]/);
    expect(() => uniformSoup([{ w: f32([0]) }, { v: f32([1]) }])).toThrow(/no tensor 'w'/);
  });

  it('greedy soup adds a candidate only if the held-out score strictly improves', async () => {
    // Candidates are numbers; a soup's "model" is their mean; the score peaks at 5.
    const values = [4, 9, 6, 5.5, 100];
    const evaluate = (ingredients: readonly number[]) => {
      const mean = ingredients.reduce((s, i) => s + values[i]!, 0) / ingredients.length;
      return -Math.abs(mean - 5);
    };
    const result = await greedySoup({ candidates: values.length, evaluate });
    // individual scores: −1, −4, −1, −0.5, −95 → order 3, 0, 2, 1, 4
    // {5.5} −0.5; +4 → 4.75 → −0.25 kept; +6 → 5.1667 → −0.1667 kept; +9 → 6.125 → −1.125 no; +100 no.
    expect(result.selected).toEqual([3, 0, 2]);
    expect(result.score).toBeCloseTo(-1 / 6, 12);
    expect(result.steps.map((s) => s.kept)).toEqual([true, true, false, false]);
    // A tie does not count as an improvement.
    const flat = await greedySoup({ candidates: 3, evaluate: () => 1 });
    expect(flat.selected).toEqual([0]);
  });
});

describe('Fisher merging', () => {
  it('is Σ λF θ / Σ λF element-wise (hand-worked, no normalisation)', () => {
    const merged = fisherMerge(
      [{ w: f32([0, 1]) }, { w: f32([4, 3]) }],
      [{ w: f32([1, 0]) }, { w: f32([3, 0]) }],
      { normalizeFishers: false, fisherFloor: 1e-6 },
    );
    // element 0: (1·0 + 3·4)/4 = 3; element 1: zero Fisher except the floor on model 0 → model 0's value
    expectClose(merged.w!, [3, 1], 1e-5);
  });

  it('normalisation divides λⱼ by ‖Fⱼ‖₂; equal Fishers give the plain mean', () => {
    const merged = fisherMerge(
      [{ w: f32([0, 0]) }, { w: f32([2, 2]) }],
      [{ w: f32([3, 4]) }, { w: f32([30, 40]) }],
      { fisherFloor: 0 },
    );
    // after normalisation both Fishers are (0.6, 0.8) → mean
    expectClose(merged.w!, [1, 1], 1e-6);
    expect(() => fisherMerge([{ w: f32([0]) }], [{ w: f32([0]) }], { fisherFloor: 0 })).toThrow(
      /zero everywhere/,
    );
  });
});

describe('RegMean', () => {
  it('solves (ΣG)W = ΣGWᵢ: scalar hand example and the normal equations on random data', () => {
    // 1×1 layer: G = 1 and 3, W = 0 and 4 → (0 + 12)/4 = 3
    expectClose(
      regmeanMerge([f32([0]), f32([4])], [createMatrix(1, 1, [1]), createMatrix(1, 1, [3])], [1, 1], {
        alpha: 1,
      }),
      [3],
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (seed) => {
        const inputs = 3;
        const outputs = 2;
        const x1 = pseudoRandom(8 * inputs, seed);
        const x2 = pseudoRandom(8 * inputs, seed + 1);
        const gram = (x: Float32Array) => {
          const g = new Float64Array(inputs * inputs);
          for (let r = 0; r < 8; r++)
            for (let a = 0; a < inputs; a++)
              for (let b = 0; b < inputs; b++) g[a * inputs + b]! += x[r * inputs + a]! * x[r * inputs + b]!;
          return createMatrix(inputs, inputs, g);
        };
        const w1 = pseudoRandom(outputs * inputs, seed + 2);
        const w2 = pseudoRandom(outputs * inputs, seed + 3);
        const g1 = gram(x1);
        const g2 = gram(x2);
        const merged = regmeanMerge([w1, w2], [g1, g2], [outputs, inputs], { alpha: 1 });
        // Normal equations (out_in layout): Σᵢ Gᵢ (W − Wᵢ)ᵀ = 0.
        for (let a = 0; a < inputs; a++) {
          for (let o = 0; o < outputs; o++) {
            let residual = 0;
            for (const [g, w] of [
              [g1, w1],
              [g2, w2],
            ] as const) {
              for (let b = 0; b < inputs; b++)
                residual += g.data[a * inputs + b]! * (merged[o * inputs + b]! - w[o * inputs + b]!);
            }
            expect(Math.abs(residual)).toBeLessThan(1e-4);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('equal Gram matrices give the plain mean (any α); in_out layout is the transpose', () => {
    const g = createMatrix(2, 2, [2, 0.5, 0.5, 1]);
    expectClose(
      regmeanMerge([f32([1, 2, 3, 4]), f32([3, 2, 1, 0])], [g, g], [2, 2], { alpha: 0.9 }),
      [2, 2, 2, 2],
      1e-6,
    );
    expect(() => regmeanMerge([f32([1, 2])], [createMatrix(3, 3)], [1, 2])).toThrow(/expected 2×2/);
  });
});

describe('EMR', () => {
  it('unified vector, masks and rescalers (hand-worked), and exact recovery of a single task', () => {
    const base = f32([0, 0, 0]);
    const r = emrMergeTensor(base, [f32([1, -2, 0]), f32([3, 1, -1])]);
    // σ = sign(4, −1, −1) = (+, −, −); magnitudes: max(1, 3) = 3, |−2| = 2, |−1| = 1
    expectClose(r.unifiedDelta, [3, -2, -1]);
    expect(Array.from(r.masks[0]!)).toEqual([1, 1, 0]);
    expect(Array.from(r.masks[1]!)).toEqual([1, 0, 1]);
    const lambdas = emrRescalers([r]);
    // λ₀ = (1 + 2)/(3 + 2) = 0.6; λ₁ = (3 + 1 + 1)/(3 + 1) = 1.25
    expectClose(lambdas, [0.6, 1.25]);
    expectClose(emrTaskTensor(base, r.unifiedDelta, r.masks[1]!, lambdas[1]!), [3.75, 0, -1.25]);
    const single = emrMergeTensor(f32([1, 1]), [f32([2, -1])]);
    expectClose(
      emrTaskTensor(f32([1, 1]), single.unifiedDelta, single.masks[0]!, emrRescalers([single])[0]!),
      [2, -1],
    );
  });
});

describe('Twin-Merging', () => {
  it('full rank reconstructs exactly; rank r recovers a rank-r exclusive vector; one-hot routing gives the task model', () => {
    const shared = pseudoRandom(12, 1);
    // task = shared + (rank-1 outer product)
    const a = [1, -2, 0.5];
    const b = [2, 0, 1, -1];
    const task = shared.map((x, i) => x + a[Math.floor(i / 4)]! * b[i % 4]!);
    expectClose(
      twinExpand(twinExclusiveTensor(shared, task, [3, 4], 1)),
      task.map((x, i) => x - shared[i]!),
      1e-5,
    );
    const other = pseudoRandom(12, 2);
    expectClose(
      twinExpand(twinExclusiveTensor(shared, other, [3, 4], 3)),
      other.map((x, i) => x - shared[i]!),
      1e-5,
    );
    const base = { w: pseudoRandom(12, 3), b: pseudoRandom(4, 4) };
    const tasks = [
      { w: pseudoRandom(12, 5), b: pseudoRandom(4, 6) },
      { w: pseudoRandom(12, 7), b: pseudoRandom(4, 8) },
    ];
    const artefacts = twinMergingArtefacts({
      base,
      tasks,
      shapes: { w: [3, 4], b: [4] },
      rank: 3,
      lambda: 0.5,
    });
    expectClose(
      artefacts.shared.b!,
      base.b.map((x, i) => x + 0.5 * (tasks[0]!.b[i]! - x) + 0.5 * (tasks[1]!.b[i]! - x)),
      1e-6,
    );
    const routed = twinCombine(artefacts, [0, 1]);
    expectClose(routed.w!, tasks[1]!.w, 1e-5);
    expectClose(routed.b!, tasks[1]!.b, 1e-6);
    expectClose(routerWeights([0, Math.log(3)]), [0.25, 0.75], 1e-12);
  });
});

describe('PCB', () => {
  it('matches the paper formulas on a 2-task example (reference numbers from numpy)', () => {
    const base = f32([0, 0, 0, 0]);
    const models = [f32([1, -2, 0.5, 3]), f32([2, 1, -1, 0.5])];
    // numpy: intra = softmax(N·minmax(τ²)), inter = Σⱼ softmax(minmax(τᵢτⱼ)), top-r, Σβτ/Σβ
    expectClose(pcbMergeTensor(base, models, { ratio: 0.75 }), [1.90780872, -0.89092204, -1, 3], 1e-6);
    expectClose(
      pcbMergeTensor(base, models, { ratio: 1 }),
      [1.90780872, -0.89092204, -0.45392224, 2.79090026],
      1e-6,
    );
  });

  it('runs as merge_method: pcb (modelsmith extension) with pcb_ratio and lambda', () => {
    const out = runMethod('pcb', {
      base: [0, 0, 0, 0],
      models: [
        [1, -2, 0.5, 3],
        [2, 1, -1, 0.5],
      ],
      global: { pcb_ratio: 0.75, lambda: 2 },
    });
    expectClose(out, [2 * 1.90780872, 2 * -0.89092204, -2, 6], 1e-6);
  });

  it('one task: keeps its top-r magnitudes unchanged, times λ', () => {
    expectClose(
      pcbMergeTensor(f32([1, 1, 1, 1]), [f32([2, -3, 1.5, 1])], { ratio: 0.5, lambda: 2 }),
      [3, -7, 1, 1],
      1e-6,
    );
  });
});
