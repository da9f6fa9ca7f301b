import { evalError } from '../errors.js';

/** Distinct values in numpy `np.unique` order plus each item's index into them (`return_inverse`). */
export interface EncodedLabels {
  readonly unique: readonly (number | string)[];
  readonly codes: Int32Array;
}

function compareCodePoints(a: string, b: string): number {
  // numpy orders str arrays by code point; JS `<` compares UTF-16 units, which differs above U+FFFF.
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * Encodes group ids or class labels like `np.unique(values, return_inverse=True)`: numbers ascending or strings
 * by code point. Rejects NaN, non-number/non-string entries and arrays mixing numbers with strings (numpy cannot
 * order those either).
 */
export function encodeLabels(name: string, values: ArrayLike<number | string>): EncodedLabels {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw evalError('E_INPUT', `${name} must be an array of numbers or strings (one entry per item)`);
  }
  const n = values.length;
  let kind: 'number' | 'string' | undefined;
  const index = new Map<number | string, number>();
  const firstSeen: (number | string)[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const t = typeof v;
    if (t !== 'number' && t !== 'string') {
      throw evalError('E_INPUT', `${name}[${i}] must be a number or a string, got ${String(v)}`);
    }
    if (t === 'number' && Number.isNaN(v)) {
      throw evalError(
        'E_INPUT',
        `${name}[${i}] is NaN; give every item a group/label (NaN never equals itself)`,
      );
    }
    if (kind === undefined) kind = t as 'number' | 'string';
    else if (kind !== t) {
      throw evalError(
        'E_INPUT',
        `${name} mixes numbers and strings (${name}[${i}] = ${JSON.stringify(v)}); use one type for all ids`,
      );
    }
    const key = v === 0 ? 0 : (v as number | string); // -0 and 0 are one id, as in numpy
    if (!index.has(key)) {
      index.set(key, firstSeen.length);
      firstSeen.push(key);
    }
  }
  const unique =
    kind === 'string'
      ? (firstSeen as string[]).slice().sort(compareCodePoints)
      : (firstSeen as number[]).slice().sort((a, b) => a - b);
  const rank = new Map<number | string, number>();
  unique.forEach((u, r) => {
    rank.set(u, r);
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    codes[i] = rank.get(v === 0 ? 0 : v)!;
  }
  return { unique, codes };
}
