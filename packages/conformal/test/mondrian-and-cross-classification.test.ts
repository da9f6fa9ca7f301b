import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allLabelScores,
  classificationScores,
  crossConformalClassification,
  mondrianSplitConformalRegression,
  splitConformalClassification,
} from '../src/index.js';

describe('Mondrian split conformal regression', () => {
  it('per-group thresholds by hand; unseen group → whole line', () => {
    // residuals: group a → [1, 2, 3] (n=3), group b → [0.5, 1, 1.5, 2] (n=4); α = 0.25
    const r = mondrianSplitConformalRegression({
      calY: [1, 2, 3, 0.5, 1, 1.5, 2],
      calPredictions: [0, 0, 0, 0, 0, 0, 0],
      calGroups: ['a', 'a', 'a', 'b', 'b', 'b', 'b'],
      testPredictions: [10, 10, 10],
      testGroups: ['a', 'b', 'z'],
      alpha: 0.25,
    });
    // a: k = ⌈4·0.75⌉ = 3 → 3; b: k = ⌈5·0.75⌉ = 4 → 2
    expect(r.groups.get('a')).toEqual({ n: 3, k: 3, q: 3 });
    expect(r.groups.get('b')).toEqual({ n: 4, k: 4, q: 2 });
    expect(Array.from(r.lower)).toEqual([7, 8, Number.NEGATIVE_INFINITY]);
    expect(Array.from(r.upper)).toEqual([13, 12, Number.POSITIVE_INFINITY]);
  });
});

describe('cross-conformal classification', () => {
  it('by hand: include y when #{E_i < E(x, y)} < ⌈(n+1)(1−α)⌉', () => {
    // n = 4, α = 0.4 → limit ⌈5·0.6⌉ = 3. Fold 0: E = [0.1, 0.5]; fold 1: E = [0.2, 0.6].
    // test label scores: fold 0 [0.3, 0.55], fold 1 [0.25, 0.7] → counts y0: 1 + 1 = 2 < 3 ✓; y1: 2 + 2 = 4 ✗
    const r = crossConformalClassification({
      calScores: [0.1, 0.5, 0.2, 0.6],
      folds: [0, 0, 1, 1],
      foldTestScores: [[[0.3, 0.55]], [[0.25, 0.7]]],
      alpha: 0.4,
    });
    expect(r.sets).toEqual([[0]]);
  });
  it('with a single fold it equals split conformal with the consistent (exclude-last) rule (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.01, max: 1, noNaN: true }),
            fc.double({ min: 0.01, max: 1, noNaN: true }),
            fc.double({ min: 0.01, max: 1, noNaN: true }),
          ),
          {
            minLength: 12,
            maxLength: 40,
          },
        ),
        fc.integer({ min: 5, max: 50 }),
        (raw, a) => {
          const rows = raw.map((r) => {
            const s = r[0] + r[1] + r[2];
            return [r[0] / s, r[1] / s, r[2] / s];
          });
          const cal = rows.slice(0, 10);
          const test = rows.slice(10);
          const labels = cal.map((_, i) => i % 3);
          const alpha = a / 100;
          const calScores = classificationScores(cal, labels, { score: 'aps' });
          const cross = crossConformalClassification({
            calScores,
            folds: new Array(10).fill(0),
            foldTestScores: [allLabelScores(test, { score: 'aps' })],
            alpha,
          });
          const split = splitConformalClassification({
            calProbabilities: cal,
            calLabels: labels,
            testProbabilities: test,
            alpha,
            score: 'aps',
            lastLabel: 'exclude',
          });
          expect(cross.sets).toEqual(split.sets);
        },
      ),
      { numRuns: 200 },
    );
  });
});
