import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleDirichlet } from './dirichlet.js';
import { allocateBudget, fitGroupCurve, groupError } from './equitable-allocation.js';
import { fitLinearRegressor } from './linear-regressor.js';
import { projectToSimplex, projektorExtrapolate } from './projektor.js';
import { regmix, regmixPrior, sampleMixtures, spearman } from './regmix.js';
import { fitGradientBoosting } from './regression-tree-ensemble.js';
import { normalizedCompressionDistance, zipFit } from './zip-fit.js';

describe('Dirichlet sampler', () => {
  it('matches the Dirichlet mean and variance (Monte Carlo, 20k draws)', () => {
    const alpha = [0.3, 1.2, 2.5];
    const a0 = 4;
    const stream = createRandom(1, 'dirichlet-test').stream();
    const n = 20_000;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const w = sampleDirichlet(alpha, stream);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      w.forEach((v, j) => {
        sum[j]! += v;
        sq[j]! += v * v;
      });
    }
    alpha.forEach((a, j) => {
      const mean = a / a0;
      const variance = (mean * (1 - mean)) / (a0 + 1);
      const m = sum[j]! / n;
      // SE of the mean is sqrt(var/n) <= 0.0015; allow 5 SE. Variance within 8%.
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(sq[j]! / n - m * m).toBeGreaterThan(0.92 * variance);
      expect(sq[j]! / n - m * m).toBeLessThan(1.08 * variance);
    });
  });

  it('samples RegMix mixtures: zeroed tiny weights, epoch rejection, seeded', () => {
    const prior = regmixPrior([0.6, 0.3, 0.09, 0.01]);
    // p^0.5 normalised, worked by hand.
    const root = [0.6, 0.3, 0.09, 0.01].map(Math.sqrt);
    const total = root.reduce((a, b) => a + b, 0);
    prior.forEach((p, i) => {
      expect(p).toBeCloseTo(root[i]! / total, 14);
    });
    const options = {
      prior: Array.from(prior),
      count: 200,
      seed: 4,
      maxEpochs: 15,
      availableTokens: [1e12, 1e12, 1e11, 1e9],
      targetTokens: 1e11,
    };
    const mixtures = sampleMixtures(options);
    for (const m of mixtures) {
      expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const w of m) expect(w === 0 || w >= 2e-4).toBe(true);
      expect((m[3]! * 1e11) / 1e9).toBeLessThanOrEqual(15);
    }
    expect(sampleMixtures(options)).toEqual(mixtures);
  });
});

describe('regressors and RegMix', () => {
  // Synthetic target: loss = 3 + Σ (w − w*)² · scale, minimised at w* inside the simplex.
  const optimum = [0.5, 0.3, 0.15, 0.05];
  const lossOf = (w: ArrayLike<number>) => 3 + 4 * optimum.reduce((s, o, j) => s + (w[j]! - o) ** 2, 0);

  it('linear regression recovers exact coefficients on noiseless linear data', () => {
    const rng = createRandom(2, 'linear');
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 50; i++) {
      const a = rng.uniform(2 * i);
      const b = rng.uniform(2 * i + 1);
      x.push(a, b);
      y.push(1.5 - 2 * a + 0.25 * b);
    }
    const model = fitLinearRegressor(x, y, 2, 0);
    expect(model.intercept).toBeCloseTo(1.5, 10);
    expect(model.coefficients[0]!).toBeCloseTo(-2, 10);
    expect(model.coefficients[1]!).toBeCloseTo(0.25, 10);
  });

  it('gradient boosting ranks a nonlinear target well (Spearman > 0.9 on held-out rows)', () => {
    const train = sampleMixtures({ prior: [0.4, 0.3, 0.2, 0.1], count: 300, seed: 5 });
    const test = sampleMixtures({ prior: [0.4, 0.3, 0.2, 0.1], count: 200, seed: 6 });
    const x = train.flatMap((m) => Array.from(m));
    const model = fitGradientBoosting(x, train.map(lossOf), 4, { learningRate: 0.1, seed: 1 });
    const rho = spearman(
      test.map((m) => model.predict(m)),
      test.map(lossOf),
    );
    expect(rho).toBeGreaterThan(0.9);
  });

  it('RegMix finds the optimum mixture of a synthetic loss (both regressors)', () => {
    const train = sampleMixtures({ prior: [0.4, 0.3, 0.2, 0.1], count: 256, seed: 7 });
    const losses = train.map(lossOf);
    const r = regmix(train, losses, { simulate: 5000, topK: 32, seed: 8, gbdt: { learningRate: 0.1 } });
    // The chosen mixture's true loss is within 0.05 of the optimum 3 (training mixtures average ~4.5).
    expect(lossOf(r.mixture)).toBeLessThan(3.05);
    expect(r.mixture.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(r.trainSpearman).toBeGreaterThan(0.95);
    // A linear model cannot represent an interior optimum: its top-k sit at the vertex of the domain with the
    // smallest coefficient (domain 0 here, whose optimum weight 0.5 is the largest) — RegMix's point.
    const linear = regmix(train, losses, { regressor: 'linear', simulate: 5000, topK: 32, seed: 8 });
    expect(linear.mixture[0]!).toBeGreaterThan(0.9);
    expect(() => regmix(train.slice(0, 3), losses.slice(0, 3))).toThrow(/at least 6/);
  });
});

describe('ZIP-FIT', () => {
  const python = [
    'def add(a, b):\n    return a + b\n',
    'def mul(a, b):\n    return a * b\n',
    'for i in range(10):\n    print(i)\n',
  ];
  const prose = [
    'The cat sat on the mat and looked out of the window.',
    'Rain fell on the quiet town all night.',
  ];

  it('NCD is ~0 for identical long texts and larger for unrelated ones', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(40);
    // gzip headers keep NCD(x, x) a little above 0 for short texts.
    expect(normalizedCompressionDistance(text, text)).toBeLessThan(0.2);
    expect(
      normalizedCompressionDistance(text, 'completely different words about numbers 12345'),
    ).toBeGreaterThan(0.3);
  });

  it('ranks code candidates above prose for a code target set', () => {
    const candidates = [prose[0]!, python[1]!, prose[1]!, python[2]!];
    const ranked = zipFit(candidates, [python[0]!], 2);
    expect(ranked.map((r) => r.index).sort()).toEqual([1, 3]);
    expect(() => zipFit(candidates, [])).toThrow(/at least one target/);
  });
});

describe('projektor and simplex projection', () => {
  it('passes through both pilots and is exact for a·ln n + b', () => {
    const perf = (n: number) => 0.3 + 0.05 * Math.log(n);
    expect(projektorExtrapolate(1000, perf(1000), 4000, perf(4000), 1000)).toBeCloseTo(perf(1000), 12);
    expect(projektorExtrapolate(1000, perf(1000), 4000, perf(4000), 1e6)).toBeCloseTo(perf(1e6), 12);
    expect(() => projektorExtrapolate(10, 0.1, 10, 0.2, 100)).toThrow(/distinct/);
  });

  it('projects onto the simplex and is no farther than any random simplex point (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 6 }),
        (v) => {
          const p = projectToSimplex(v);
          expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
          for (const x of p) expect(x).toBeGreaterThanOrEqual(0);
          const dist = (q: ArrayLike<number>) => v.reduce((s, x, i) => s + (x - q[i]!) ** 2, 0);
          const stream = createRandom(3, 'simplex', v.length).stream();
          for (let t = 0; t < 20; t++) {
            const q = sampleDirichlet(new Array(v.length).fill(1), stream);
            expect(dist(p)).toBeLessThanOrEqual(dist(q) + 1e-12);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('equitable allocation', () => {
  it('recovers a group learning curve from noisy points', () => {
    const truth = { a: 2, b: 0.5, c: 0.1 };
    const rng = createRandom(9, 'group-curve');
    const n = [50, 100, 200, 400, 800, 1600, 3200, 6400];
    const err = n.map((v, i) => groupError(truth, v) + 0.002 * rng.normal(i));
    const fit = fitGroupCurve(n, err);
    expect(Math.abs(fit.b - truth.b)).toBeLessThan(0.1);
    expect(Math.abs(fit.c - truth.c)).toBeLessThan(0.02);
    for (const v of [100, 1000, 10000])
      expect(Math.abs(groupError(fit, v) - groupError(truth, v))).toBeLessThan(0.01);
  });

  it('splits evenly between identical groups and respects the budget', () => {
    const curve = { a: 1, b: 0.5, c: 0 };
    const r = allocateBudget(
      [
        { curve, cost: 1 },
        { curve, cost: 1 },
      ],
      100,
    );
    expect(r.samples).toEqual([50, 50]);
    expect(r.spent).toBe(100);
  });

  it('max-min lowers the worst group error compared with an equal split', () => {
    const groups = [
      { curve: { a: 1, b: 0.5, c: 0.05 }, cost: 1 },
      { curve: { a: 3, b: 0.3, c: 0.1 }, cost: 2 },
    ];
    const budget = 3000;
    const equal = [groupError(groups[0]!.curve, 1000), groupError(groups[1]!.curve, 1000)];
    const r = allocateBudget(groups, budget, { objective: 'maxmin', batch: 10 });
    expect(r.spent).toBeLessThanOrEqual(budget);
    expect(Math.max(...r.errors)).toBeLessThan(Math.max(...equal));
  });
});
