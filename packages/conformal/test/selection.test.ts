import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  clippedSelectionScores,
  conformalSelection,
  eBenjaminiHochberg,
  optcsEValueSelection,
  optcsFull,
  optcsModelSelection,
  selectionMetrics,
  weightedBH,
  weightedConformalSelection,
  weightedSelectionPValues,
} from '../src/index.js';
import { jin2023Setting1 } from './jin2023-data.js';

/** A literal transcription of the R reference `weighted_CS` (ying531/conformal-selection, R/functions.R) with ξ = 1
 * and the paper's ≤ in place of the code's strict <. Independent of the package implementation. */
function referenceWcsDeterministic(
  cal: number[],
  test: number[],
  cw: number[],
  tw: number[],
  q: number,
): number[] {
  const nt = test.length;
  const csum = cw.reduce((a, b) => a + b, 0);
  const pvals = test.map((ti) => new Array(nt).fill(cal.reduce((s, c, i) => s + (c < ti ? cw[i]! : 0), 0)));
  for (let j = 0; j < nt; j++) {
    for (let i = 0; i < nt; i++) if (test[j]! < test[i]!) pvals[i]![j] += tw[j]!;
    pvals[j]![j] += tw[j]!;
    for (let i = 0; i < nt; i++) pvals[i]![j] /= csum + tw[j]!;
  }
  const Rs: number[] = [];
  const Sel: boolean[] = [];
  for (let j = 0; j < nt; j++) {
    const col = pvals.map((row) => row[j]!);
    const rej = benjaminiHochberg(col, q);
    Rs.push(rej.length);
    Sel.push(rej.includes(j));
  }
  const xiR = Rs.map((r, j) => (Sel[j] ? r : 1 + nt));
  const order = xiR.map((v, j) => ({ v, j })).sort((a, b) => a.v - b.v || a.j - b.j);
  let last = -1;
  order.forEach((o, r) => {
    if (o.v <= r + 1) last = r;
  });
  return order
    .slice(0, last + 1)
    .map((o) => o.j)
    .sort((a, b) => a - b);
}

describe('weighted conformal selection', () => {
  it('weighted p-values by hand', () => {
    // cal V=[1,2,3] w=[1,2,1]; test V̂=2 w=2: (1 + U(2 + 2))/(4 + 2); U=1 → 5/6
    const p = weightedSelectionPValues({
      calScores: [1, 2, 3],
      calWeights: [1, 2, 1],
      testScores: [2],
      testWeights: [2],
    });
    expect(p[0]).toBeCloseTo(5 / 6, 12);
  });
  it('with unit weights, weighted p-values equal the deterministic cfBH p-values', () => {
    const cal = [-2, -1, 0, 1, 2, 3, 4];
    const test = [-3, 0.5, 2, 5];
    const w = weightedSelectionPValues({
      calScores: cal,
      calWeights: cal.map(() => 1),
      testScores: test,
      testWeights: test.map(() => 1),
    });
    const c = conformalSelection({ calScores: cal, testScores: test, fdr: 0.1 }).pValues;
    expect(Array.from(w)).toEqual(Array.from(c));
    expect(
      weightedBH({
        calScores: cal,
        calWeights: cal.map(() => 1),
        testScores: test,
        testWeights: test.map(() => 1),
        fdr: 0.3,
      }).selected,
    ).toEqual(conformalSelection({ calScores: cal, testScores: test, fdr: 0.3 }).selected);
  });
  it('deterministic WCS matches the transcribed R reference (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 5, maxLength: 30 }),
        fc.array(fc.integer({ min: -25, max: 5 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        (cal, test, seed) => {
          const random = createRandom(seed, 'wcs-prop');
          const cw = cal.map((_, i) => 0.2 + random.uniform(i));
          const tw = test.map((_, j) => 0.2 + random.uniform(100 + j));
          const ours = weightedConformalSelection({
            calScores: cal,
            calWeights: cw,
            testScores: test,
            testWeights: tw,
            fdr: 0.3,
            pruning: 'deterministic',
          }).selected;
          expect(ours).toEqual(referenceWcsDeterministic(cal, test, cw, tw, 0.3));
        },
      ),
      { numRuns: 200 },
    );
  });
  it('FDR ≤ q under covariate shift (300 repetitions, tolerance 3 SE)', () => {
    // x ~ U(0,1) in calibration; test x has density 2x (w(x) = 2x). Y = 3x − 1.5 + N(0,1), μ̂ = 3x − 1.5.
    const fdps: number[] = [];
    for (let rep = 0; rep < 300; rep++) {
      const random = createRandom(rep, 'mc-wcs');
      const draw = (i: number, shifted: boolean) => {
        const u = random.uniform(2 * i);
        const x = shifted ? Math.sqrt(u) : u;
        const mu = 3 * x - 1.5;
        return { x, y: mu + random.normal(2 * i + 1), pred: mu };
      };
      const cal = Array.from({ length: 100 }, (_, i) => draw(i, false));
      const test = Array.from({ length: 30 }, (_, j) => draw(100 + j, true));
      const s = clippedSelectionScores({
        calY: cal.map((d) => d.y),
        calPredictions: cal.map((d) => d.pred),
        testPredictions: test.map((d) => d.pred),
        calThreshold: 0,
        testThreshold: 0,
      });
      const { selected } = weightedConformalSelection({
        calScores: s.calScores,
        calWeights: cal.map((d) => 2 * d.x),
        testScores: s.testScores,
        testWeights: test.map((d) => 2 * d.x),
        fdr: 0.2,
        seed: rep,
      });
      fdps.push(
        selectionMetrics(
          selected,
          test.map((d) => d.y > 0),
        ).fdp,
      );
    }
    const mean = fdps.reduce((a, b) => a + b, 0) / fdps.length;
    const se = Math.sqrt(fdps.reduce((a, b) => a + (b - mean) ** 2, 0) / (fdps.length - 1) / fdps.length);
    expect(mean).toBeLessThanOrEqual(0.2 + 3 * se);
  });
});

describe('OptCS', () => {
  it('e-value step by hand: e_j = 1{p_j ≤ q s_j/m}·m/(q s_j), then eBH', () => {
    // m=4, q=0.5: s=[2,2,0,4] → thresholds q s/m = [0.25,0.25,–,0.5]; p=[0.2,0.3,0.01,0.5]
    // e = [4, 0, 0, 2]; eBH: sorted [4,2,0,0], k=2: 2 ≥ 4/(0.5·2)=4? no; k=1: 4 ≥ 8? no → {}
    const a = optcsEValueSelection(Float64Array.from([0.2, 0.3, 0.01, 0.5]), Int32Array.from([2, 2, 0, 4]), {
      fdr: 0.5,
      beta: 1,
      pruning: 'deterministic',
      seed: 0,
    });
    expect(Array.from(a.eValues)).toEqual([4, 0, 0, 2]);
    expect(a.selected).toEqual([]);
    expect(eBenjaminiHochberg([4, 0, 0, 2], 0.5)).toEqual([]);
    // all four pass with s=4: e = 2 each → eBH k=4: 2 ≥ 4/(0.5·4) = 2 → all
    const b = optcsEValueSelection(Float64Array.from([0.1, 0.2, 0.3, 0.5]), Int32Array.from([4, 4, 4, 4]), {
      fdr: 0.5,
      beta: 1,
      pruning: 'deterministic',
      seed: 0,
    });
    expect(b.selected).toEqual([0, 1, 2, 3]);
  });

  it('MSel with one candidate selects a subset of what cfBH with deterministic p-values selects', () => {
    const cal = Array.from({ length: 19 }, (_, i) => -2 + 0.5 * i);
    const test = [-3, -2.2, -1.2, 2.2, 6.8, -2.5];
    const r = optcsModelSelection({ calScores: [cal], testScores: [test], fdr: 0.5 });
    expect(Array.from(r.chosen!)).toEqual([0, 0, 0, 0, 0, 0]);
    const bh = conformalSelection({ calScores: cal, testScores: test, fdr: 0.5 }).selected;
    for (const j of r.selected) expect(bh).toContain(j);
  });

  // Jin & Candès (2023) setting 1 from the reference simulations (jin2023-data.ts); select Y > 0.
  function simulate(rep: number, n: number, m: number, key: string) {
    const random = createRandom(rep, key);
    const draw = (i: number) => {
      const d = jin2023Setting1(random, i);
      return { x1: d.x[0]!, x2: d.x[3]!, y: d.y };
    };
    return {
      cal: Array.from({ length: n }, (_, i) => draw(i)),
      test: Array.from({ length: m }, (_, j) => draw(n + j)),
    };
  }

  it('MSel FDR ≤ q over 200 repetitions with 3 candidates (tolerance 3 SE)', () => {
    const candidates = [
      (d: { x1: number; x2: number }) => d.x2 + 0.75,
      (d: { x1: number; x2: number }) => d.x1,
      (d: { x1: number; x2: number }) => -d.x2,
    ];
    for (const pruning of ['deterministic', 'heterogeneous'] as const) {
      const fdps: number[] = [];
      for (let rep = 0; rep < 200; rep++) {
        const { cal, test } = simulate(rep, 100, 30, 'mc-optcs');
        const scores = candidates.map((f) =>
          clippedSelectionScores({
            calY: cal.map((d) => d.y),
            calPredictions: cal.map(f),
            testPredictions: test.map(f),
            calThreshold: 0,
            testThreshold: 0,
            clipValue: 1000,
          }),
        );
        const r = optcsModelSelection({
          calScores: scores.map((s) => s.calScores),
          testScores: scores.map((s) => s.testScores),
          fdr: 0.2,
          pruning,
          seed: rep,
        });
        fdps.push(
          selectionMetrics(
            r.selected,
            test.map((d) => d.y > 0),
          ).fdp,
        );
      }
      const mean = fdps.reduce((a, b) => a + b, 0) / fdps.length;
      const se = Math.sqrt(fdps.reduce((a, b) => a + (b - mean) ** 2, 0) / (fdps.length - 1) / fdps.length);
      expect(mean).toBeLessThanOrEqual(0.2 + 3 * se);
    }
  });

  it('Full (leave-one-out least squares on 1{Y>0}) FDR ≤ q over 150 repetitions (tolerance 3 SE)', () => {
    // model: least squares of label on (1, x1, x2); LOO predictions in closed form via the hat matrix.
    const fdps: number[] = [];
    for (let rep = 0; rep < 150; rep++) {
      const { cal, test } = simulate(rep, 60, 20, 'mc-optcs-full');
      const fitAugmented = (j: number) => {
        const pts = [...cal.map((d) => ({ ...d, label: d.y > 0 ? 1 : 0 })), { ...test[j]!, label: 0 }];
        const X = pts.map((d) => [1, d.x1, d.x2]);
        const { beta, hat, inv } = leastSquares(
          X,
          pts.map((d) => d.label),
        );
        const loo = pts.map((d, i) => {
          const fit = X[i]!.reduce((s, v, a) => s + v * beta[a]!, 0);
          return fit - (hat[i]! * (d.label - fit)) / (1 - hat[i]!);
        });
        // model without unit j (the last point): rank-one downdate of the full fit
        const last = pts.length - 1;
        const fitLast = X[last]!.reduce((s, v, a) => s + v * beta[a]!, 0);
        const resid = (pts[last]!.label - fitLast) / (1 - hat[last]!);
        const invx = inv.map((row) => row.reduce((s, v, a) => s + v * X[last]![a]!, 0));
        const betaNoJ = beta.map((b, a) => b - invx[a]! * resid);
        const calScores = cal.map((d, i) => (d.y > 0 ? 1000 : 0) - loo[i]!);
        const otherTestScores = test.map((d) => -(betaNoJ[0]! + betaNoJ[1]! * d.x1 + betaNoJ[2]! * d.x2));
        return { calScores, testScore: -loo[last]!, otherTestScores };
      };
      const r = optcsFull({ numTest: test.length, fdr: 0.3, fitAugmented });
      fdps.push(
        selectionMetrics(
          r.selected,
          test.map((d) => d.y > 0),
        ).fdp,
      );
    }
    const mean = fdps.reduce((a, b) => a + b, 0) / fdps.length;
    const se = Math.sqrt(fdps.reduce((a, b) => a + (b - mean) ** 2, 0) / (fdps.length - 1) / fdps.length);
    expect(mean).toBeLessThanOrEqual(0.3 + 3 * se);
  });
});

/** Ordinary least squares with the hat diagonal and (XᵀX)⁻¹ (3×3, by cofactors). */
function leastSquares(X: number[][], y: number[]) {
  const p = 3;
  const A = Array.from({ length: p }, (_, a) =>
    Array.from({ length: p }, (_, b) => X.reduce((s, r) => s + r[a]! * r[b]!, 0)),
  );
  const det =
    A[0]![0]! * (A[1]![1]! * A[2]![2]! - A[1]![2]! * A[2]![1]!) -
    A[0]![1]! * (A[1]![0]! * A[2]![2]! - A[1]![2]! * A[2]![0]!) +
    A[0]![2]! * (A[1]![0]! * A[2]![1]! - A[1]![1]! * A[2]![0]!);
  const inv = Array.from({ length: p }, (_, a) =>
    Array.from({ length: p }, (_, b) => {
      const r = [0, 1, 2].filter((i) => i !== b);
      const c = [0, 1, 2].filter((i) => i !== a);
      const minor = A[r[0]!]![c[0]!]! * A[r[1]!]![c[1]!]! - A[r[0]!]![c[1]!]! * A[r[1]!]![c[0]!]!;
      return ((a + b) % 2 === 0 ? 1 : -1) * (minor / det);
    }),
  );
  const Xty = [0, 1, 2].map((a) => X.reduce((s, r, i) => s + r[a]! * y[i]!, 0));
  const beta = inv.map((row) => row.reduce((s, v, b) => s + v * Xty[b]!, 0));
  const hat = X.map((r) => r.reduce((s, v, a) => s + v * inv[a]!.reduce((t, w, b) => t + w * r[b]!, 0), 0));
  return { beta, hat, inv };
}
