import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelStockRatio } from '../src/methods/model-stock-merge.js';
import { expectClose, pseudoRandom, runMethod } from './helpers.js';

const S = Math.SQRT1_2;

describe('linear', () => {
  it('is Σwθ/Σw (hand-worked) and rejects weights summing to zero', () => {
    const out = runMethod('linear', {
      models: [
        [1, 2],
        [3, 6],
      ],
      perModel: [{ weight: 1 }, { weight: 3 }],
    });
    expectClose(out, [2.5, 5]);
    expect(() =>
      runMethod('linear', { models: [[1], [2]], perModel: [{ weight: 1 }, { weight: -1 }] }),
    ).toThrow(/sum to zero.*normalize: false/);
    expectClose(
      runMethod('linear', {
        models: [[1], [2]],
        perModel: [{ weight: 1 }, { weight: -1 }],
        global: { normalize: false },
      }),
      [-1],
    );
  });

  it('weight: 0 is a weight of zero, not a fall-through to the global value', () => {
    const out = runMethod('linear', {
      models: [[1], [5]],
      perModel: [{ weight: 0 }, {}],
      global: { weight: 1 },
    });
    expectClose(out, [5]);
  });
});

describe('slerp', () => {
  it('returns the endpoints exactly at t = 0 and t = 1', () => {
    const a = pseudoRandom(50, 1);
    const b = pseudoRandom(50, 2);
    expect(runMethod('slerp', { base: a, models: [b], global: { t: 0 } })).toEqual(a);
    expect(runMethod('slerp', { base: a, models: [b], global: { t: 1 } })).toEqual(b);
  });

  it('follows the great circle between orthogonal vectors', () => {
    expectClose(runMethod('slerp', { base: [1, 0], models: [[0, 1]], global: { t: 0.5 } }), [S, S]);
    expectClose(runMethod('slerp', { base: [2, 0], models: [[0, 2]], global: { t: 1 / 3 } }), [
      2 * Math.cos(Math.PI / 6),
      2 * Math.sin(Math.PI / 6),
    ]);
  });

  it('falls back to lerp for (anti)parallel inputs, |cos| > 0.9995', () => {
    expectClose(runMethod('slerp', { base: [1, 2], models: [[2, 4]], global: { t: 0.25 } }), [1.25, 2.5]);
    expectClose(runMethod('slerp', { base: [1, 2], models: [[-1, -2]], global: { t: 0.25 } }), [0.5, 1]);
  });
});

describe('nuslerp', () => {
  it('t = w₂/(w₁+w₂); flattened orthogonal inputs follow the great circle', () => {
    expectClose(
      runMethod('nuslerp', {
        models: [
          [1, 0],
          [0, 1],
        ],
        perModel: [{ weight: 1 }, { weight: 1 }],
      }),
      [S, S],
    );
    expectClose(
      runMethod('nuslerp', {
        models: [
          [1, 0],
          [0, 1],
        ],
        perModel: [{ weight: 2 }, { weight: 1 }],
      }),
      [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)],
    );
  });

  it('with a base it interpolates task vectors; unflattened it uses one angle per row', () => {
    const base = [1, 1, 1, 1];
    const out = runMethod('nuslerp', {
      base,
      models: [
        [2, 1, 2, 1],
        [1, 2, 3, 1],
      ],
      perModel: [{ weight: 1 }, { weight: 1 }],
      global: { nuslerp_flatten: false },
      shape: [2, 2],
    });
    // row 0: δ (1,0) and (0,1) → (S, S); row 1: δ (1,0) and (2,0) are parallel → lerp (1.5, 0)
    expectClose(out, [1 + S, 1 + S, 2.5, 1]);
  });
});

describe('multislerp and karcher', () => {
  it('karcher mean of orthonormal vectors is their normalised sum (norm = mean norm)', () => {
    const out = runMethod('karcher', {
      models: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      global: { max_iter: 50, tol: 1e-9 },
    });
    const c = 1 / Math.sqrt(3);
    expectClose(out, [c, c, c], 1e-5);
  });

  it('multislerp of two equal-norm vectors with equal weights = slerp at t = ½', () => {
    const a = [3, 0, 0];
    const b = [0, 0, 3];
    expectClose(
      runMethod('multislerp', { models: [a, b], perModel: [{ weight: 1 }, { weight: 1 }] }),
      [3 * S, 0, 3 * S],
      1e-5,
    );
  });

  it('merging identical models returns them; model order does not matter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const x = pseudoRandom(24, seed);
        expectClose(runMethod('karcher', { models: [x, x, x] }), x, 1e-5);
        expectClose(
          runMethod('multislerp', { models: [x, x], perModel: [{ weight: 1 }, { weight: 2 }] }),
          x,
          1e-5,
        );
        const y = pseudoRandom(24, seed + 1);
        const z = pseudoRandom(24, seed + 2);
        expectClose(
          runMethod('karcher', { models: [x, y, z] }),
          runMethod('karcher', { models: [z, x, y] }),
          1e-5,
        );
        expectClose(
          runMethod('multislerp', {
            models: [x, y, z],
            perModel: [{ weight: 1 }, { weight: 2 }, { weight: 3 }],
          }),
          runMethod('multislerp', {
            models: [y, z, x],
            perModel: [{ weight: 2 }, { weight: 3 }, { weight: 1 }],
          }),
          1e-5,
        );
      }),
      { numRuns: 30 },
    );
  });
});

describe('model_stock', () => {
  it('t = N cos θ / (1 + (N−1) cos θ) (hand-worked, two models at 60°)', () => {
    expect(modelStockRatio(2, 0.5)).toBeCloseTo(2 / 3, 12);
    expect(modelStockRatio(3, 0.5)).toBeCloseTo(0.75, 12);
    const c = Math.cos(Math.PI / 3);
    const s = Math.sin(Math.PI / 3);
    const out = runMethod('model_stock', {
      base: [1, 1],
      models: [
        [2, 1],
        [1 + c, 1 + s],
      ],
    });
    const t = 2 / 3;
    expectClose(out, [t * ((2 + 1 + c) / 2) + (1 - t), t * ((1 + 1 + s) / 2) + (1 - t)], 1e-6);
  });

  it('three models use the mean pairwise cosine; filter_wise uses one ratio per row', () => {
    // offsets e1, e2, e3: all cosines 0 → t = 0 → the base
    expectClose(
      runMethod('model_stock', {
        base: [5, 5, 5],
        models: [
          [6, 5, 5],
          [5, 6, 5],
          [5, 5, 6],
        ],
      }),
      [5, 5, 5],
    );
    const out = runMethod('model_stock', {
      base: [0, 0, 0, 0],
      models: [
        [1, 0, 1, 1],
        [0, 1, 2, 2],
      ],
      global: { filter_wise: true },
      shape: [2, 2],
    });
    // row 0: orthogonal → t = 0 → base; row 1: parallel (cos 1) → t = 1 → mean
    expectClose(out, [0, 0, 1.5, 1.5]);
  });
});

describe('nearswap, sce, passthrough', () => {
  it('nearswap: w = clamp(t/|θ₀ − θ₁|, 0, 1) (hand-worked)', () => {
    expectClose(
      runMethod('nearswap', { base: [0, 0, 3], models: [[0.1, 10, 3]], global: { t: 0.5 } }),
      [0.1, 0.5, 3],
    );
  });

  it('sce with select_topk 1: ω = mean(τ²) normalised, erase by sum sign (hand-worked)', () => {
    const out = runMethod('sce', {
      base: [0, 0],
      models: [
        [1, 2],
        [3, -2],
      ],
    });
    // ω ∝ (2.5, 6.5); e0: both positive → (2.5·1 + 6.5·3)/9; e1: Σ = 0 → +, only model 0 → 2
    expectClose(out, [22 / 9, 2], 1e-6);
  });

  it('sce select_topk keeps the highest-variance positions only', () => {
    const out = runMethod('sce', {
      base: [0, 0, 0, 0],
      models: [
        [1, 0, 5, 1],
        [1, 4, -5, 1.5],
      ],
      global: { select_topk: 0.5 },
    });
    // variances: 0, 4, 25, 0.0625 → 3 non-zero, keep ⌊0.5·3⌋ = 1 (position 2); there Σ = 0 → +, model 0 only
    expectClose(out, [0, 0, 5, 0]);
  });

  it('passthrough copies, optionally scaled', () => {
    expectClose(runMethod('passthrough', { models: [[1, -2]], perModel: [{ scale: 0.5 }] }), [0.5, -1]);
  });
});

describe('parameter resolution', () => {
  it('names the key and the allowed values', () => {
    expect(() =>
      runMethod('ties', { base: [0], models: [[1]], perModel: [{ weight: 1, densty: 0.5 }] }),
    ).toThrow(/densty.*allowed: weight, density/);
    expect(() => runMethod('ties', { base: [0], models: [[1]], perModel: [{}] })).toThrow(/needs a weight/);
    expect(() =>
      runMethod('ties', { base: [0], models: [[1]], perModel: [{ weight: 1 }], global: { zero_sign: 'up' } }),
    ).toThrow(/one of positive, negative, majority/);
    expect(() => runMethod('slerp', { base: [0], models: [[1]] })).toThrow(/needs parameters.t/);
  });
});
