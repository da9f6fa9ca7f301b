import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, pseudoRandom, runMethod } from './helpers.js';

describe('task_arithmetic', () => {
  it('is θ₀ + λ Σ wᵢ (θᵢ − θ₀) (hand-worked)', () => {
    const out = runMethod('task_arithmetic', {
      base: [1, 2, 3],
      models: [
        [2, 2, 5],
        [0, 4, 3],
      ],
      perModel: [{ weight: 1 }, { weight: 0.5 }],
      global: { lambda: 2 },
    });
    // deltas [1,0,2] and [-1,2,0]; Σw·δ = [0.5, 1, 2]; × 2 → [1, 2, 4]
    expectClose(out, [2, 4, 7]);
  });

  it('is linear in the weights (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (a, b, seed) => {
          const base = pseudoRandom(16, seed);
          const m1 = pseudoRandom(16, seed + 1);
          const m2 = pseudoRandom(16, seed + 2);
          const both = runMethod('task_arithmetic', {
            base,
            models: [m1, m2],
            perModel: [{ weight: a }, { weight: b }],
          });
          const only1 = runMethod('task_arithmetic', { base, models: [m1], perModel: [{ weight: a }] });
          const only2 = runMethod('task_arithmetic', { base, models: [m2], perModel: [{ weight: b }] });
          const expected = base.map((x, i) => only1[i]! + only2[i]! - x);
          expectClose(both, expected, 1e-5);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('ties', () => {
  const base = [0, 0, 0, 0];
  const models = [
    [1, -1, 2, 0],
    [3, 1, -1, 0],
  ];
  it('density 1 = weighted disjoint mean with the sign of Σ wᵢδᵢ (mergekit, hand-worked)', () => {
    const out = runMethod('ties', { base, models, perModel: [{ weight: 1 }, { weight: 0.5 }] });
    // e0: Δ = (1, 1.5) → +, (1 + 1.5)/(1 + 0.5); e1: Δ = (−1, 0.5) → −, only model 0; e2: (2, −0.5) → +, only model 0; e3: none.
    expectClose(out, [2.5 / 1.5, -1, 2, 0]);
  });

  it('paper preset: unweighted election, majority sign on ties, mean over agreeing count (hand-worked)', () => {
    const out = runMethod('ties', {
      base,
      models,
      perModel: [{ weight: 1 }, { weight: 0.5 }],
      preset: 'paper',
    });
    // e0: sign(1 + 3) = +, (1·1 + 0.5·3)/2; e1: Σ = 0 → majority of elected (+, +) = +, only model 1: 0.5·1/1; e2: +, model 0: 2.
    expectClose(out, [1.25, 0.5, 2, 0]);
  });

  it('density 0.5 keeps the 2 largest |δ| of each model (per tensor, exactly k)', () => {
    const out = runMethod('ties', {
      base: [0, 0, 0, 0],
      models: [[4, -3, 1, 0.5]],
      perModel: [{ weight: 1, density: 0.5 }],
    });
    expectClose(out, [4, -3, 0, 0]);
  });

  it('top-k ties: exact keeps exactly k (lower index first); keep_ties keeps every element equal to the k-th', () => {
    const models = [[1, 2, 2, 2]];
    const exact = runMethod('ties', { base: [0, 0, 0, 0], models, perModel: [{ weight: 1, density: 0.5 }] });
    expectClose(exact, [0, 2, 2, 0]);
    const ties = runMethod('ties', {
      base: [0, 0, 0, 0],
      models,
      perModel: [{ weight: 1, density: 0.5 }],
      global: { topk_ties: 'keep_ties' },
    });
    expectClose(ties, [0, 2, 2, 2]);
  });

  it('k = 0 (tiny tensor × small density) keeps the single largest element instead of crashing', () => {
    const out = runMethod('ties', {
      base: [0, 0, 0, 0],
      models: [[0.1, -5, 2, 0]],
      perModel: [{ weight: 1, density: 0.1 }],
    });
    expectClose(out, [0, -5, 0, 0]);
  });

  it('merging identical models returns them, and model order does not matter (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        (seed, density) => {
          const base = pseudoRandom(32, seed);
          const x = pseudoRandom(32, seed + 7);
          const same = runMethod('ties', {
            base,
            models: [x, x, x],
            perModel: [0, 1, 2].map(() => ({ weight: 1, density: 1 })),
          });
          expectClose(same, x, 1e-5);
          const a = pseudoRandom(32, seed + 1);
          const b = pseudoRandom(32, seed + 2);
          const c = pseudoRandom(32, seed + 3);
          const pm = [
            { weight: 0.3, density },
            { weight: 0.9, density },
            { weight: 0.5, density: 1 },
          ];
          const abc = runMethod('ties', { base, models: [a, b, c], perModel: pm });
          const cab = runMethod('ties', { base, models: [c, a, b], perModel: [pm[2]!, pm[0]!, pm[1]!] });
          expectClose(abc, cab, 1e-5);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('breadcrumbs', () => {
  it('a tensor smaller than 1/γ keeps all but the bottom band (mergekit zeroes it)', () => {
    const models = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]];
    // n_top = ⌊0.01·10⌋ = 0, target = 9, n_bottom = 1: drop only the smallest.
    const out = runMethod('breadcrumbs', {
      base: new Array(10).fill(0),
      models,
      perModel: [{ weight: 1, density: 0.9 }],
    });
    expectClose(out, [0, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('drops ⌊γn⌋ largest and n − ⌊dn⌋ − ⌊γn⌋ smallest (hand-worked)', () => {
    const models = [[-1, 2, -3, 4, 5, -6, 7, 8, 9, -10]];
    const out = runMethod('breadcrumbs', {
      base: new Array(10).fill(0),
      models,
      perModel: [{ weight: 1, density: 0.7, gamma: 0.2 }],
    });
    // n_top = 2 (|−10|, 9), target = 7, n_bottom = 1 (|−1|)
    expectClose(out, [0, 2, -3, 4, 5, -6, 7, 8, 0, 0]);
  });

  it('trim_scope row (paper preset) trims each row separately', () => {
    const out = runMethod('breadcrumbs', {
      base: [0, 0, 0, 0, 0, 0],
      models: [[1, 2, 3, 30, 20, 10]],
      perModel: [{ weight: 1, density: 2 / 3, gamma: 0 }],
      preset: 'paper',
      shape: [2, 3],
    });
    expectClose(out, [0, 2, 3, 30, 20, 0]);
  });
});

describe('dare', () => {
  const n = 200_000;
  const base = new Float32Array(n);
  const ones = new Float32Array(n).fill(1);

  it('keep rate ≈ density and E[rescaled] ≈ δ with 1/p rescaling (4σ Monte-Carlo tolerance)', () => {
    const density = 0.3;
    const out = runMethod('dare_linear', {
      base,
      models: [ones],
      perModel: [{ weight: 1, density }],
      global: { rescale_mode: 'inverse_keep_probability' },
      seed: 42,
    });
    let kept = 0;
    let sum = 0;
    for (const v of out) {
      if (v !== 0) kept++;
      sum += v;
    }
    // keep fraction: σ = √(p(1−p)/n) ≈ 0.001; mean of δ·m/p: σ = √((1−p)/(p n)) ≈ 0.0034
    expect(Math.abs(kept / n - density)).toBeLessThan(0.005);
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.014);
    for (const v of out) expect(v === 0 || Math.abs(v - 1 / density) < 1e-5).toBe(true);
  });

  it('mergekit L1 rescale preserves ‖δ‖₁ exactly; same seed → same bits, other seed → other mask', () => {
    const delta = pseudoRandom(5000, 3);
    const a = runMethod('dare_linear', {
      base: new Float32Array(5000),
      models: [delta],
      perModel: [{ weight: 1, density: 0.2 }],
      seed: 1,
    });
    const b = runMethod('dare_linear', {
      base: new Float32Array(5000),
      models: [delta],
      perModel: [{ weight: 1, density: 0.2 }],
      seed: 1,
    });
    const c = runMethod('dare_linear', {
      base: new Float32Array(5000),
      models: [delta],
      perModel: [{ weight: 1, density: 0.2 }],
      seed: 2,
    });
    const l1 = (x: Float32Array) => x.reduce((s, v) => s + Math.abs(v), 0);
    expect(l1(a) / l1(delta)).toBeCloseTo(1, 5);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('DAREx-q rescales kept entries by exactly 1/q', () => {
    const out = runMethod('dare_linear', {
      base: new Float32Array(1000),
      models: [new Float32Array(1000).fill(2)],
      perModel: [{ weight: 1, density: 0.1 }],
      global: { darex_q: 0.25 },
    });
    for (const v of out) expect(v === 0 || Math.abs(v - 8) < 1e-5).toBe(true);
  });

  it('dare_ties keeps a mask per model (different model index → different mask)', () => {
    const out = runMethod('dare_ties', {
      base: new Float32Array(10_000),
      models: [new Float32Array(10_000).fill(1), new Float32Array(10_000).fill(1)],
      perModel: [
        { weight: 1, density: 0.5 },
        { weight: 1, density: 0.5 },
      ],
      global: { rescale: false },
    });
    // no normalisation: each element is the number of models keeping it, 0/1/2 with probabilities ¼/½/¼ (tolerance ±0.03, > 4σ).
    const counts = [0, 0, 0];
    for (const v of out) counts[v]!++;
    expect(Math.abs(counts[1]! / 10_000 - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(counts[2]! / 10_000 - 0.25)).toBeLessThan(0.03);
  });
});

describe('della', () => {
  it('default ε shrinks to fit at density 0.9 (mergekit errors); an explicit invalid ε is a clear error', () => {
    const ones = new Float32Array(20_000).fill(1);
    const out = runMethod('della_linear', {
      base: new Float32Array(20_000),
      models: [ones],
      perModel: [{ weight: 1, density: 0.9 }],
      global: { rescale: false },
    });
    const kept = out.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
    // mean keep probability = density; σ ≈ 0.0021, tolerance 0.01
    expect(Math.abs(kept / 20_000 - 0.9)).toBeLessThan(0.01);
    expect(() =>
      runMethod('della_linear', {
        base: [0, 0],
        models: [[1, 1]],
        perModel: [{ weight: 1, density: 0.9, epsilon: 0.15 }],
      }),
    ).toThrow(/epsilon 0.15 with density 0.9/);
  });

  it('keep probability rises with magnitude rank within each row', () => {
    const n = 1000;
    const row = Float32Array.from({ length: n }, (_, i) => i + 1);
    let keptSmall = 0;
    let keptLarge = 0;
    for (let seed = 0; seed < 20; seed++) {
      const out = runMethod('della_linear', {
        base: new Float32Array(n),
        models: [row],
        perModel: [{ weight: 1, density: 0.5, epsilon: 0.4 }],
        global: { rescale: false },
        seed,
      });
      for (let i = 0; i < 100; i++) keptSmall += out[i] !== 0 ? 1 : 0;
      for (let i = n - 100; i < n; i++) keptLarge += out[i] !== 0 ? 1 : 0;
    }
    // expected keep rates ≈ 0.14 (smallest tenth) vs ≈ 0.86 (largest tenth) over 2000 draws each
    expect(keptSmall / 2000).toBeLessThan(0.2);
    expect(keptLarge / 2000).toBeGreaterThan(0.8);
  });
});
