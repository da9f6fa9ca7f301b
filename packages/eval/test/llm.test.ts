// pass@k checked values: spec §2.1 (openai/human-eval estimator); product vs exact-binomial values computed
// with numpy/math.comb while writing the tests. Coverage and verifier checks: spec §2.2–2.3.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageCurve, fitExpPowerLaw } from '../src/llm/coverage-curve.js';
import { countSamples, passAtK, passAtKDataset } from '../src/llm/pass-at-k.js';
import { passAtKInterval } from '../src/llm/pass-at-k-interval.js';
import { optimalResamples, verifierCeiling } from '../src/llm/verifier-ceiling.js';
import { expectClose } from './helpers.js';

describe('passAtK', () => {
  const cases: [number, number, number, number][] = [
    [200, 1, 1, 0.005],
    [200, 1, 10, 0.05],
    [200, 1, 100, 0.5],
    [200, 10, 1, 0.05],
    [200, 10, 10, 0.408548],
    [200, 10, 100, 0.999229],
    [10, 3, 5, 0.916667],
    [5, 0, 1, 0],
    [5, 5, 3, 1],
    [20, 2, 10, 0.763158],
    [1000, 1, 500, 0.5],
  ];
  it.each(cases)('n=%i c=%i k=%i → %f (6 decimals)', (n, c, k, expected) =>
    expectClose(passAtK(n, c, k), expected, 5e-7),
  );
  // Exact-binomial values 1 − C(n−c,k)/C(n,k) (Python math.comb); product form agrees to 1e-12.
  const exact: [number, number, number, number][] = [
    [200, 10, 1, 0.050000000000000044],
    [200, 10, 10, 0.40854786608141713],
    [200, 10, 100, 0.9992289739372822],
    [20, 2, 10, 0.7631578947368421],
  ];
  it.each(exact)('n=%i c=%i k=%i matches the combinatorial form to 1e-12', (n, c, k, expected) =>
    expectClose(passAtK(n, c, k), expected, 1e-12),
  );
  it('rejects k > n even when c = 0 (the reference would return 1)', () => {
    expect(() => passAtK(5, 0, 6)).toThrow(/k=6 exceeds n=5/);
    expect(() => passAtK(5, 6, 1)).toThrow(/c must be/);
  });
  it('property: monotone non-decreasing in k and in c, within [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, cRaw, kRaw) => {
        const c = cRaw % (n + 1);
        const k = (kRaw % n) + 1;
        const v = passAtK(n, c, k);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        if (k < n) expect(passAtK(n, c, k + 1)).toBeGreaterThanOrEqual(v - 1e-12);
        if (c < n) expect(passAtK(n, c + 1, k)).toBeGreaterThanOrEqual(v - 1e-12);
        // pass@1 is the plain fraction correct.
        expectClose(passAtK(n, c, 1), c / n, 1e-12);
      }),
      { numRuns: 500 },
    );
  });
  it('dataset mean, sample grouping, and k > n rejection naming the task', () => {
    const tasks = countSamples([
      { task: 'a', passed: true },
      { task: 'a', passed: false },
      { task: 'b', passed: false },
      { task: 'b', passed: false },
    ]);
    expect(tasks).toEqual([
      { task: 'a', n: 2, c: 1 },
      { task: 'b', n: 2, c: 0 },
    ]);
    const r = passAtKDataset(tasks, [1, 2]);
    expect(r.tasks).toBe(2);
    expectClose(r.passAtK['1']!, 0.25, 1e-15);
    expectClose(r.passAtK['2']!, 0.5, 1e-15);
    expect(() => passAtKDataset(tasks, [3])).toThrow(/task 'a'/);
  });
});

describe('coverage and exponentiated power law', () => {
  it('a=−2, b=−0.5 fixture is recovered exactly', () => {
    const ks = [1, 4, 16, 100];
    const cov = ks.map((k) => Math.exp(-2 * k ** -0.5));
    expectClose(cov[0]!, 0.135335, 5e-7);
    expectClose(cov[1]!, 0.367879, 5e-7);
    expectClose(cov[2]!, 0.606531, 5e-7);
    expectClose(cov[3]!, 0.818731, 5e-7);
    const fit = fitExpPowerLaw(ks, cov);
    expectClose(fit.a, -2, 1e-12);
    expectClose(fit.b, -0.5, 1e-12);
    expectClose(fit.r2, 1, 1e-12);
  });
  it('refinement keeps exact data exact and never increases the coverage SSE on noisy data', () => {
    const ks = [1, 2, 4, 8, 16, 32, 64, 128];
    const exact = fitExpPowerLaw(
      ks,
      ks.map((k) => Math.exp(-1.5 * k ** -0.4)),
      undefined,
      { refine: true },
    );
    expectClose(exact.a, -1.5, 1e-9);
    expectClose(exact.b, -0.4, 1e-9);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.03, max: 0.03, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (noise) => {
          const c = ks.map((k, i) =>
            Math.min(0.999, Math.max(0.001, Math.exp(-1.5 * k ** -0.4) + noise[i]!)),
          );
          const plain = fitExpPowerLaw(ks, c);
          const refined = fitExpPowerLaw(ks, c, undefined, { refine: true });
          expect(refined.sse).toBeLessThanOrEqual(plain.sse + 1e-15);
        },
      ),
      { numRuns: 100 },
    );
  });
  it('coverage curve equals pass@k per k', () => {
    const tasks = [
      { n: 10, c: 0 },
      { n: 10, c: 3 },
    ];
    const curve = coverageCurve(tasks, [1, 5]);
    expect(curve.map((p) => p.k)).toEqual([1, 5]);
    expectClose(curve[0]!.coverage, 0.15, 1e-15);
    expectClose(curve[1]!.coverage, passAtK(10, 3, 5) / 2, 1e-15);
  });
});

describe('verifierCeiling', () => {
  it('p=0.3, f=0.1: ceiling 0.810811; K=5 → 0.730343 correct, 0.170413 false positive', () => {
    expectClose(verifierCeiling(0.3, 0.1).ceiling, 0.810811, 5e-7);
    const r = verifierCeiling(0.3, 0.1, 5);
    expectClose(r.correct, 0.730343, 5e-7);
    expectClose(r.falsePositive, 0.170413, 5e-7);
    expectClose(r.correct + r.falsePositive + r.abstain, 1, 1e-15);
  });
  it('perfect verifier: ceiling 1; utility optimum is interior for costly false positives', () => {
    expect(verifierCeiling(0.3, 0).ceiling).toBe(1);
    // Utility of K: (1 − (1−s)^K)(p − c(1−p)f)/s is increasing iff p > c(1−p)f; else K = 1 is best.
    expect(optimalResamples(0.3, 0.1, 10, 50).K).toBe(1);
    expect(optimalResamples(0.3, 0.1, 1, 50).K).toBe(50);
  });
});

describe('passAtKInterval', () => {
  it('bootstrap over tasks: seeded, brackets the estimate, se ≈ sd(per-task)/√T', () => {
    const tasks = Array.from({ length: 60 }, (_, i) => ({ n: 20, c: i % 7 === 0 ? 0 : (i * 3) % 21 }));
    const r = passAtKInterval(tasks, 5, { rounds: 800, seed: 2 });
    const per = tasks.map((t) => passAtK(t.n, t.c, 5));
    const mean = per.reduce((s, v) => s + v, 0) / per.length;
    const sd = Math.sqrt(per.reduce((s, v) => s + (v - mean) ** 2, 0) / (per.length - 1));
    expectClose(r.estimate, mean, 1e-12);
    expect(r.low).toBeLessThan(mean);
    expect(r.high).toBeGreaterThan(mean);
    expect(Math.abs(r.se - sd / Math.sqrt(60)) / (sd / Math.sqrt(60))).toBeLessThan(0.15);
    expect(passAtKInterval(tasks, 5, { rounds: 800, seed: 2 }).low).toBe(r.low);
    expect(() => passAtKInterval(tasks, 21)).toThrow(/exceeds/);
  });
});
