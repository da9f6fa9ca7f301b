import { fitCurve, startGrid } from '@modelsmith/core-tensor';
import { scalingError } from '../errors.js';
import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';

/** A group's learning curve err(n) = a·n^(−b) + c. */
export interface GroupCurve {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export function groupError(curve: GroupCurve, n: number): number {
  // n = 0 gives +∞: a group with no data is infinitely bad, so the allocator serves it first.
  return curve.a * n ** -curve.b + curve.c;
}

/** Fits err(n) = a·n^(−b) + c by least squares (a, b > 0 through logs). */
export function fitGroupCurve(sizes: ArrayLike<number>, errors: ArrayLike<number>): GroupCurve {
  checkSameLength(['sizes', 'errors'], [sizes, errors]);
  checkValues('sizes', sizes, true);
  checkValues('errors', errors, false);
  checkEnoughPoints(sizes.length, 3, 'group learning curve');
  const ln = Float64Array.from(sizes, Math.log);
  const minErr = Math.min(...Array.from(errors));
  // p = [log a, log b, c]
  const fit = fitCurve({
    parameterCount: 3,
    targets: errors,
    model: (p, i, g) => {
      const b = Math.exp(p[1]!);
      const term = Math.exp(p[0]! - b * ln[i]!);
      g[0] = term;
      g[1] = -term * ln[i]! * b;
      g[2] = 1;
      return term + p[2]!;
    },
    starts: startGrid([
      [-2, 0, 2],
      [Math.log(0.2), Math.log(0.5), Math.log(1)],
      [0, 0.5 * minErr, 0.9 * minErr],
    ]),
  });
  return { a: Math.exp(fit.params[0]!), b: Math.exp(fit.params[1]!), c: fit.params[2]! };
}

export interface AllocationGroup {
  readonly curve: GroupCurve;
  /** Cost of one more sample of this group. */
  readonly cost: number;
  /** Samples already held (default 0). */
  readonly current?: number;
  /** Weight in the weighted-sum welfare (default 1). */
  readonly weight?: number;
}

export interface Allocation {
  /** Additional samples per group. */
  readonly samples: number[];
  readonly spent: number;
  /** Predicted error per group after the allocation. */
  readonly errors: number[];
}

/**
 * Splits a collection budget across groups (Cai et al. 2022, static greedy form): in steps of `batch`
 * samples, give the next batch to the group with the largest welfare gain per unit cost — the weighted sum
 * of errors, or the worst group's error for 'maxmin'.
 */
export function allocateBudget(
  groups: readonly AllocationGroup[],
  budget: number,
  options: { readonly objective?: 'sum' | 'maxmin'; readonly batch?: number } = {},
): Allocation {
  if (groups.length === 0) throw scalingError('E_INPUT', 'allocateBudget needs at least one group');
  if (!(budget >= 0 && Number.isFinite(budget)))
    throw scalingError('E_INPUT', `budget ${budget} must be >= 0`);
  groups.forEach((g, i) => {
    if (!(g.cost > 0)) throw scalingError('E_INPUT', `group ${i}: cost ${g.cost} must be > 0`);
  });
  const batch = options.batch ?? 1;
  const objective = options.objective ?? 'sum';
  const samples = groups.map(() => 0);
  const held = (i: number) => (groups[i]!.current ?? 0) + samples[i]!;
  let spent = 0;
  for (;;) {
    let best = -1;
    let bestScore = 0;
    if (objective === 'maxmin') {
      // Raise the worst affordable group.
      let worst = Number.NEGATIVE_INFINITY;
      groups.forEach((g, i) => {
        if (spent + g.cost * batch > budget) return;
        const e = groupError(g.curve, held(i));
        if (e > worst) {
          worst = e;
          best = i;
        }
      });
    } else {
      groups.forEach((g, i) => {
        if (spent + g.cost * batch > budget) return;
        const gain = (g.weight ?? 1) * (groupError(g.curve, held(i)) - groupError(g.curve, held(i) + batch));
        const score = gain / (g.cost * batch);
        if (best < 0 || score > bestScore) {
          best = i;
          bestScore = score;
        }
      });
    }
    if (best < 0) break;
    samples[best] = samples[best]! + batch;
    spent += groups[best]!.cost * batch;
  }
  return { samples, spent, errors: groups.map((g, i) => groupError(g.curve, held(i))) };
}
