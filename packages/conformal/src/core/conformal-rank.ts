/**
 * Exact finite-sample ranks. `(n+1)(1-α)` evaluated in doubles lands on the wrong side of an integer
 * (n=24, α=0.44 gives 14.000000000000002, so a naive ceil returns 15). We read α as the decimal the
 * user wrote (its shortest round-trip form) and do the arithmetic on that rational exactly with
 * BigInt. A decimal of 15+ significant digits is a rounded repeating fraction (e.g. 1/3), so there
 * we also snap to an integer within the rounding error of α itself.
 */

interface Decimal {
  /** α = num / den exactly, for the decimal form of α. */
  readonly num: bigint;
  readonly den: bigint;
  /** True when the decimal is long enough to be a rounded non-terminating fraction. */
  readonly rounded: boolean;
}

const decimalCache = new Map<number, Decimal>();

function toDecimal(x: number): Decimal {
  const cached = decimalCache.get(x);
  if (cached) return cached;
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`cannot read ${x} as a non-negative decimal`);
  const intPart = match[1]!;
  const fracPart = match[2] ?? '';
  const exponent = Number(match[3] ?? '0') - fracPart.length;
  const digits = (intPart + fracPart).replace(/^0+/, '');
  let num = BigInt(intPart + fracPart);
  let den = 1n;
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den = 10n ** BigInt(-exponent);
  const result = { num, den, rounded: digits.length >= 15 };
  if (decimalCache.size > 4096) decimalCache.clear();
  decimalCache.set(x, result);
  return result;
}

/**
 * `m · fraction` rounded up (`'ceil'`) or down (`'floor'`), where the fraction is `α` or `1 − α`.
 * `alpha` is the level the user gave; `complement` selects 1 − α.
 */
function exactRound(m: number, alpha: number, complement: boolean, mode: 'ceil' | 'floor'): number {
  const d = toDecimal(alpha);
  const big = BigInt(m);
  const num = (complement ? d.den - d.num : d.num) * big;
  const den = d.den;
  if (d.rounded) {
    // Snap within the representation error of α: |m·p − m·p*| ≤ m·α·2^-52.
    const nearest = (2n * num + den) / (2n * den);
    const diff = num - nearest * den;
    const absDiff = diff < 0n ? -diff : diff;
    const tolerance = m * alpha * 2 ** -51;
    if (Number(absDiff) / Number(den) <= tolerance) return Number(nearest);
  }
  if (mode === 'floor') return Number(num / den);
  return Number((num + den - 1n) / den);
}

/**
 * The finite-sample rank k = ⌈(n+1)(1−α)⌉ of the conformal quantile among n calibration scores.
 * k > n means the quantile is +∞. Valid for any α in [0, 1].
 */
export function conformalRank(n: number, alpha: number): number {
  if (alpha <= 0) return n + 1;
  if (alpha >= 1) return 0;
  return exactRound(n + 1, alpha, true, 'ceil');
}

/** The lower rank ⌊(n+1)α⌋ (0 means the lower quantile is −∞). Used by jackknife+ and asymmetric intervals. */
export function lowerConformalRank(n: number, alpha: number): number {
  if (alpha <= 0) return 0;
  if (alpha >= 1) return n + 1;
  return exactRound(n + 1, alpha, false, 'floor');
}

/** ⌈m·(1−α)⌉ and ⌊m·α⌋ for an arbitrary positive integer multiplier m, with the same exactness. */
export function ceilComplementTimes(m: number, alpha: number): number {
  return exactRound(m, alpha, true, 'ceil');
}
export function floorTimes(m: number, alpha: number): number {
  return exactRound(m, alpha, false, 'floor');
}

/** ⌈m·p⌉ for p in (0, 1), exact on the decimal form of p (used for quantile levels). */
export function ceilTimes(m: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return m;
  return exactRound(m, p, false, 'ceil');
}
