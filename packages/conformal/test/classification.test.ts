import { describe, expect, it } from 'vitest';
import { classificationScores, setMetrics, splitConformalClassification } from '../src/index.js';

// Reference numbers: spec `conformal.md` §8 I.
const pi = [0.5, 0.3, 0.15, 0.05];
const rows = [pi, pi, pi, pi];
const labels = [0, 1, 2, 3];

function close(actual: Float64Array, expected: number[]) {
  expected.forEach((v, i) => {
    expect(actual[i]).toBeCloseTo(v, 12);
  });
}

describe('class scores: spec §8 I', () => {
  it('LAC', () => close(classificationScores(rows, labels, { score: 'lac' }), [0.5, 0.7, 0.85, 0.95]));
  it('APS (U=1)', () => close(classificationScores(rows, labels, { score: 'aps' }), [0.5, 0.8, 0.95, 1.0]));
  it('APS (U=0.5)', () =>
    close(
      classificationScores(rows, labels, { score: 'aps', randomized: true, u: 0.5 }),
      [0.25, 0.65, 0.875, 0.975],
    ));
  it('RAPS λ=0.1, k_reg=1 (U=1)', () =>
    close(
      classificationScores(rows, labels, { score: 'raps', lambda: 0.1, kReg: 1 }),
      [0.5, 0.9, 1.15, 1.3],
    ));
  it('RAPS λ=0.1, k_reg=1 (U=0.5)', () =>
    close(
      classificationScores(rows, labels, { score: 'raps', lambda: 0.1, kReg: 1, randomized: true, u: 0.5 }),
      [0.25, 0.75, 1.075, 1.275],
    ));
  it('top-k is the 1-based rank, ties broken by label index', () => {
    expect(
      Array.from(
        classificationScores(
          [
            [0.2, 0.4, 0.4],
            [0.2, 0.4, 0.4],
          ],
          [2, 0],
          { score: 'topk' },
        ),
      ),
    ).toEqual([2, 3]);
  });
  it('APS set at q̂=0.9 with the last label included → {0,1,2}', () => {
    // calibration scores chosen so q̂ = 0.9: n=9, α=0.1 → k=9 = max
    const cal = Array.from({ length: 9 }, () => [0.9, 0.05, 0.03, 0.02]);
    const calLabels = new Array(9).fill(0);
    const result = splitConformalClassification({
      calProbabilities: cal,
      calLabels,
      testProbabilities: [pi],
      alpha: 0.1,
      score: 'aps',
    });
    expect(result.threshold).toBeCloseTo(0.9, 12);
    expect(result.sets[0]).toEqual([0, 1, 2]);
    const exclusive = splitConformalClassification({
      calProbabilities: cal,
      calLabels,
      testProbabilities: [pi],
      alpha: 0.1,
      score: 'aps',
      lastLabel: 'exclude',
    });
    expect(exclusive.sets[0]).toEqual([0, 1]);
  });
});

describe('LAC sets and class-conditional thresholds', () => {
  it('LAC set = {y : 1 − π_y ≤ q̂}', () => {
    // scores of true labels: 0.1..0.9; n=9, α=0.2 → k=⌈10·0.8⌉=8 → q̂ = 0.8 → π_y ≥ 0.2
    const cal = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1].map((p) => [p, 1 - p]);
    const r = splitConformalClassification({
      calProbabilities: cal,
      calLabels: new Array(9).fill(0),
      testProbabilities: [
        [0.85, 0.15],
        [0.5, 0.5],
        [0.1, 0.9],
      ],
      alpha: 0.2,
    });
    expect(r.k).toBe(8);
    expect(r.threshold).toBeCloseTo(0.8, 12);
    expect(r.sets).toEqual([[0], [0, 1], [1]]);
  });
  it('class-conditional uses n_y per class', () => {
    const cal = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.2, 0.8],
      [0.3, 0.7],
      [0.45, 0.55],
    ];
    const r = splitConformalClassification({
      calProbabilities: cal,
      calLabels: [0, 0, 1, 1, 1],
      testProbabilities: [[0.5, 0.5]],
      alpha: 0.25,
      classConditional: true,
    });
    // class 0: n=2, k=⌈3·0.75⌉=3 > 2 → ∞; class 1: n=3, k=⌈4·0.75⌉=3 → max(0.2,0.3,0.45) = 0.45
    expect(r.k).toEqual([3, 3]);
    expect((r.threshold as number[])[0]).toBe(Number.POSITIVE_INFINITY);
    expect((r.threshold as number[])[1]).toBeCloseTo(0.45, 12);
    expect(r.sets).toEqual([[0]]);
  });
});

describe('set metrics', () => {
  it('coverage, size, singleton/empty rates by hand', () => {
    const m = setMetrics([[0], [0, 1], [], [2]], [0, 1, 1, 0]);
    expect(m.coverage).toBe(0.5);
    expect(m.meanSetSize).toBe(1);
    expect(m.singletonRate).toBe(0.5);
    expect(m.emptyRate).toBe(0.25);
    expect(m.sizeStratified).toEqual([
      { size: 0, count: 1, coverage: 0 },
      { size: 1, count: 2, coverage: 0.5 },
      { size: 2, count: 1, coverage: 1 },
    ]);
  });
});

describe('bad input', () => {
  it('rejects rows not summing to 1 (tolerance 1e-6), naming the row', () => {
    expect(() => classificationScores([[0.5, 0.4]], [0])).toThrow(/probabilities\[0\] sums to 0.9.*1e-6/);
    expect(() => classificationScores([[0.5, 0.5000001]], [0])).not.toThrow();
  });
  it('rejects negative or non-finite probabilities, bad labels and ragged rows', () => {
    expect(() => classificationScores([[1.5, -0.5]], [0])).toThrow(/probabilities\[0\]\[1\]/);
    expect(() => classificationScores([[Number.NaN, 1]], [0])).toThrow(/probabilities\[0\]\[0\]/);
    expect(() => classificationScores([[0.5, 0.5]], [2])).toThrow(/labels\[0\] is 2/);
    expect(() => classificationScores([[0.5, 0.5], [1]], [0, 0])).toThrow(/probabilities\[1\] has 1 entries/);
    expect(() => classificationScores([[0.5, 0.5]], [0, 1])).toThrow(/labels has length 2/);
  });
});

describe('Mondrian by group', () => {
  it('each group gets its own threshold from n_g; unseen test groups get the full set', () => {
    // LAC scores 1 − π_0: group a → [0.1, 0.2, 0.3], group b → [0.5, 0.6, 0.7, 0.8]
    const cal = [0.9, 0.8, 0.7, 0.5, 0.4, 0.3, 0.2].map((p) => [p, 1 - p]);
    const r = splitConformalClassification({
      calProbabilities: cal,
      calLabels: new Array(7).fill(0),
      testProbabilities: [
        [0.75, 0.25],
        [0.75, 0.25],
        [0.75, 0.25],
      ],
      alpha: 0.25,
      calGroups: ['a', 'a', 'a', 'b', 'b', 'b', 'b'],
      testGroups: ['a', 'b', 'c'],
    });
    // a: n=3, k=⌈4·0.75⌉=3 → 0.3; b: n=4, k=⌈5·0.75⌉=4 → 0.8
    expect(r.groups).toEqual(['a', 'b']);
    expect(r.k).toEqual([3, 4]);
    expect((r.threshold as number[])[0]).toBeCloseTo(0.3, 12);
    expect((r.threshold as number[])[1]).toBeCloseTo(0.8, 12);
    // test row: scores [0.25, 0.75] → a: {0}; b: {0, 1}; c (unseen): {0, 1}
    expect(r.sets).toEqual([[0], [0, 1], [0, 1]]);
  });
});

describe('SAPS (TorchCP definition)', () => {
  it('rank 1 → U·π_max, otherwise π_max + λ(rank − 2 + U)', () => {
    // π = [0.5, 0.3, 0.15, 0.05], λ = 0.1: U=1 → [0.5, 0.6, 0.7, 0.8]; U=0.5 → [0.25, 0.55, 0.65, 0.75]
    close(classificationScores(rows, labels, { score: 'saps', lambda: 0.1 }), [0.5, 0.6, 0.7, 0.8]);
    close(
      classificationScores(rows, labels, { score: 'saps', lambda: 0.1, randomized: true, u: 0.5 }),
      [0.25, 0.55, 0.65, 0.75],
    );
  });
});
