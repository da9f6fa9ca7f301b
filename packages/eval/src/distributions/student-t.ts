import { incompleteBeta } from '@modelsmith/core-tensor';

/** P(T > t) for Student's t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  const t2 = t * t;
  // Tail = ½ I_{ν/(ν+t²)}(ν/2, ½); 1−x = t²/(ν+t²) is passed exactly.
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower;
  return t > 0 ? tail : 1 - tail;
}

/** Student's t CDF. */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Two-sided p-value P(|T| ≥ |t|). */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  const t2 = t * t;
  return incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower;
}
