// Fold fixtures: spec §5 (scikit-learn 1.2.1 StratifiedKFold/KFold/TimeSeriesSplit, checked there).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossValidate, nestedCV } from '../src/splitters/cross-validate.js';
import { kFold, leaveOneOut, repeatedKFold } from '../src/splitters/k-fold.js';
import { shuffleSplit } from '../src/splitters/shuffle-split.js';
import { repeatedStratifiedKFold, stratifiedKFold } from '../src/splitters/stratified-k-fold.js';
import { timeSeriesSplit } from '../src/splitters/time-series-split.js';

const y = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 1, 0];
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('sklearn-identical splitters', () => {
  it('StratifiedKFold(3)', () => {
    expect(stratifiedKFold(y, 3).map((s) => Array.from(s.test))).toEqual([
      [0, 1, 4, 7, 8],
      [2, 3, 5, 9, 10],
      [6, 11, 12, 13],
    ]);
  });
  it('KFold(4)', () => {
    expect(kFold(14, 4).map((s) => Array.from(s.test))).toEqual([
      range(0, 3),
      range(4, 7),
      range(8, 10),
      range(11, 13),
    ]);
  });
  it('TimeSeriesSplit(3)', () => {
    const s = timeSeriesSplit(14, 3);
    expect(s.map((x) => [Array.from(x.train), Array.from(x.test)])).toEqual([
      [range(0, 4), range(5, 7)],
      [range(0, 7), range(8, 10)],
      [range(0, 10), range(11, 13)],
    ]);
    const gap = timeSeriesSplit(14, 3, { gap: 1, maxTrainSize: 3 });
    expect(Array.from(gap[2]!.train)).toEqual([7, 8, 9]);
  });
  it('LeaveOneOut', () => {
    const s = leaveOneOut(3);
    expect(s.map((x) => [Array.from(x.train), Array.from(x.test)])).toEqual([
      [[1, 2], [0]],
      [[0, 2], [1]],
      [[0, 1], [2]],
    ]);
  });
  it('rejects impossible requests', () => {
    expect(() => kFold(3, 4)).toThrow(/exceeds/);
    expect(() => stratifiedKFold([0, 0, 1, 1], 3)).toThrow(/every class/);
  });
});

describe('shuffled splitters (properties)', () => {
  it('kFold/stratified shuffles partition the items, are seeded, and stratify', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 60 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (labels, k, seed) => {
          const n = labels.length;
          for (const splits of [
            kFold(n, k, { shuffle: true, seed }),
            stratifiedKFold(labels, k, { shuffle: true, seed }),
          ]) {
            const seen = new Array<number>(n).fill(0);
            for (const s of splits) {
              for (const t of s.test) seen[t]!++;
              expect(s.train.length + s.test.length).toBe(n);
              const inTest = new Set(s.test);
              for (const t of s.train) expect(inTest.has(t)).toBe(false);
            }
            expect(seen.every((c) => c === 1)).toBe(true);
          }
          // Stratification: each class's count per fold differs by at most 1 across folds.
          const strat = stratifiedKFold(labels, k, { shuffle: true, seed });
          for (const cls of [0, 1, 2]) {
            const per = strat.map((s) => Array.from(s.test).filter((i) => labels[i] === cls).length);
            expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
          }
          expect(kFold(n, k, { shuffle: true, seed })).toEqual(kFold(n, k, { shuffle: true, seed }));
        },
      ),
      { numRuns: 100 },
    );
  });
  it('shuffleSplit sizes and repeated variants', () => {
    const s = shuffleSplit(10, { nSplits: 3, testSize: 0.25, seed: 1 });
    expect(s.every((x) => x.test.length === 3 && x.train.length === 7)).toBe(true);
    expect(repeatedKFold(10, 5, 3).length).toBe(15);
    expect(repeatedStratifiedKFold(y, 2, 2).length).toBe(4);
  });
});

describe('crossValidate / nestedCV', () => {
  it('averages fold scores (async callbacks allowed)', async () => {
    const r = await crossValidate(kFold(10, 5), async (_train, test) => test[0]!);
    expect(r.scores).toEqual([0, 2, 4, 6, 8]);
    expect(r.mean).toBe(4);
    expect(r.sd).toBeCloseTo(Math.sqrt(10), 12);
  });
  it('nested CV picks the candidate closest to the target using only outer-train items', async () => {
    // Items have value i; a "model" with parameter c scores −|mean(train) − c|. Inner CV sees only outer-train.
    const values = range(0, 19);
    const used = new Set<number>();
    const r = await nestedCV({
      outer: kFold(20, 4),
      innerSplits: (count) => kFold(count, 3),
      candidates: [0, 5, 10, 15],
      fitScore: (c, train, test) => {
        for (const t of train) used.add(t);
        const m = Array.from(train, (i) => values[i]!).reduce((s, v) => s + v, 0) / train.length;
        return -Math.abs(m - c) - test.length * 0;
      },
    });
    expect(r.chosen.length).toBe(4);
    expect(r.innerScores.every((row) => row.length === 4)).toBe(true);
    // Outer fold 0 trains on 5..19 (mean 12) → candidate 10 (|12−10| < |12−15|).
    expect(r.chosen[0]).toBe(10);
    expect(used.size).toBe(20);
  });
});

describe('holdout splits', () => {
  it('predefined and random (seeded, stratified fractions)', async () => {
    const { predefinedHoldoutSplit, randomHoldoutSplit } = await import('../src/splitters/holdout-split.js');
    const p = predefinedHoldoutSplit(5, [3, 1]);
    expect([Array.from(p.train), Array.from(p.test)]).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(() => predefinedHoldoutSplit(5, [5])).toThrow(/outside/);
    const labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const r = randomHoldoutSplit(10, { validSize: 0.5, seed: 2, stratify: labels });
    expect(Array.from(r.test).filter((i) => labels[i] === 0).length).toBe(2);
    expect(Array.from(r.test).filter((i) => labels[i] === 1).length).toBe(3);
    expect(randomHoldoutSplit(10, { seed: 2 })).toEqual(randomHoldoutSplit(10, { seed: 2 }));
  });
});

describe('groupKFold (scikit-learn 1.9 rule; more fixtures in group-splitters.test.ts)', () => {
  // Expected folds: sklearn 1.2 GroupKFold._iter_test_indices re-run with numpy 2.4 while writing the test
  // (≤ 16 groups, where numpy's argsort is stable, so 1.2 and 1.9 with its stable sort agree).
  it('largest group to the lightest fold', async () => {
    const { groupKFold } = await import('../src/splitters/group-k-fold.js');
    expect(
      groupKFold([1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 5, 6, 6, 1, 3], 3).map((s) => Array.from(s.test)),
    ).toEqual([
      [6, 7, 8, 9, 10],
      [2, 3, 4, 11, 12],
      [0, 1, 5, 13, 14],
    ]);
    expect(
      groupKFold(['a', 'b', 'a', 'c', 'd', 'b', 'a', 'e', 'c', 'f'], 2).map((s) => Array.from(s.test)),
    ).toEqual([
      [0, 2, 6, 7, 9],
      [1, 3, 4, 5, 8],
    ]);
    expect(() => groupKFold([1, 1, 2], 3)).toThrow(/distinct groups/);
  });
});
