import { evalError } from '../errors.js';

/** One pairwise judgement: `winner` is 'a', 'b' or 'tie'. */
export interface Battle {
  readonly a: string;
  readonly b: string;
  readonly winner: 'a' | 'b' | 'tie';
}

/** Model names in first-seen order and battles as index pairs; validates each battle. */
export function indexBattles(battles: readonly Battle[]): {
  names: string[];
  a: Int32Array;
  b: Int32Array;
  outcome: Float64Array;
} {
  if (battles.length === 0)
    throw evalError('E_INPUT', 'no battles given; pass at least one { a, b, winner } battle');
  const index = new Map<string, number>();
  const names: string[] = [];
  const id = (name: string) => {
    let i = index.get(name);
    if (i === undefined) {
      i = names.length;
      index.set(name, i);
      names.push(name);
    }
    return i;
  };
  const a = new Int32Array(battles.length);
  const b = new Int32Array(battles.length);
  const outcome = new Float64Array(battles.length);
  battles.forEach((battle, k) => {
    if (typeof battle.a !== 'string' || typeof battle.b !== 'string' || battle.a === battle.b) {
      throw evalError('E_INPUT', `battles[${k}] needs two different model names a and b`);
    }
    if (battle.winner !== 'a' && battle.winner !== 'b' && battle.winner !== 'tie') {
      throw evalError(
        'E_INPUT',
        `battles[${k}].winner must be 'a', 'b' or 'tie', got ${String(battle.winner)}`,
      );
    }
    a[k] = id(battle.a);
    b[k] = id(battle.b);
    outcome[k] = battle.winner === 'a' ? 1 : battle.winner === 'b' ? 0 : 0.5;
  });
  return { names, a, b, outcome };
}

/**
 * Arena wins matrix: each battle is counted twice (FastChat duplicates battles) so a tie adds one win to each
 * side and a decisive battle two wins to the winner.
 */
export function battleWins(
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  outcome: ArrayLike<number>,
  order?: ArrayLike<number>,
): number[][] {
  const wins = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const count = order ? order.length : a.length;
  for (let t = 0; t < count; t++) {
    const k = order ? order[t]! : t;
    const s = outcome[k]!;
    wins[a[k]!]![b[k]!]! += 2 * s;
    wins[b[k]!]![a[k]!]! += 2 * (1 - s);
  }
  return wins;
}
