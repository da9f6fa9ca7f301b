import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixArbitrary } from './__fixtures__/matrix-checks.js';
import { createMatrix, type DenseMatrix } from './dense-matrix.js';
import { linearAssignment } from './linear-assignment.js';

/** Best total over every injective map from the smaller side into the larger one (brute force). */
function bruteForce(cost: DenseMatrix, maximize: boolean): number {
  const small = Math.min(cost.rows, cost.cols);
  const large = Math.max(cost.rows, cost.cols);
  const at = (s: number, l: number) =>
    cost.rows <= cost.cols ? cost.data[s * cost.cols + l]! : cost.data[l * cost.cols + s]!;
  let best = maximize ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(large).fill(false);
  const walk = (s: number, total: number): void => {
    if (s === small) {
      best = maximize ? Math.max(best, total) : Math.min(best, total);
      return;
    }
    for (let l = 0; l < large; l++) {
      if (used[l]) continue;
      used[l] = true;
      walk(s + 1, total + at(s, l));
      used[l] = false;
    }
  };
  walk(0, 0);
  return best;
}

function totalOf(cost: DenseMatrix, assignment: Int32Array): number {
  let total = 0;
  assignment.forEach((col, row) => {
    if (col >= 0) total += cost.data[row * cost.cols + col]!;
  });
  return total;
}

describe('linearAssignment', () => {
  it('solves a hand-worked 3×3 (optimum 1 + 2 + 2 = 5, as scipy linear_sum_assignment)', () => {
    const cost = createMatrix(3, 3, [4, 1, 3, 2, 0, 5, 3, 2, 2]);
    expect(Array.from(linearAssignment(cost))).toEqual([1, 0, 2]);
    expect(
      Array.from(linearAssignment(cost, { maximize: true }))
        .map((c, r) => cost.data[r * 3 + c]!)
        .reduce((a, b) => a + b),
    ).toBe(11);
  });

  it('is optimal against brute force over all assignments (n ≤ 7, rectangular, maximize)', () => {
    const side = fc.integer({ min: 0, max: 7 });
    fc.assert(
      fc.property(matrixArbitrary(side, side), fc.boolean(), (cost, maximize) => {
        const assignment = linearAssignment(cost, { maximize });
        expect(assignment.length).toBe(cost.rows);
        const assigned = Array.from(assignment).filter((c) => c >= 0);
        expect(assigned.length).toBe(Math.min(cost.rows, cost.cols));
        expect(new Set(assigned).size).toBe(assigned.length);
        for (const c of assigned) expect(c).toBeLessThan(cost.cols);
        if (cost.rows === 0 || cost.cols === 0) return;
        expect(totalOf(cost, assignment)).toBeCloseTo(bruteForce(cost, maximize), 9);
      }),
      { numRuns: 150 },
    );
  });

  it('with more rows than columns the extra rows get −1', () => {
    const cost = createMatrix(3, 1, [5, 1, 3]);
    expect(Array.from(linearAssignment(cost))).toEqual([-1, 0, -1]);
  });

  it('rejects non-finite costs with E_NUMERIC naming the entry', () => {
    expect(() => linearAssignment(createMatrix(2, 2, [1, Number.POSITIVE_INFINITY, 0, 1]))).toThrowError(
      expect.objectContaining({ code: 'E_NUMERIC', message: expect.stringMatching(/cost \(0, 1\)/) }),
    );
  });
});
