import { createMatrix, leastSquares } from '@modelsmith/core-tensor';
import type { NoiseSchedule } from '../schedule/noise-schedule.js';

/** The UniPC bh weights of one step: `bh` scales the update, `rhosP` / `rhosC` weight the differences. */
interface UniPcCoefficients {
  readonly bh: number;
  /** Predictor weights, one per history difference (empty for order 1). */
  readonly rhosP: number[];
  /** Corrector weights, one per history difference plus the last for (m_t − m_0); empty without corrector. */
  readonly rhosC: number[];
}

/** Solves the small square system (≤ 3 × 3) by Householder QR: backward stable, and throws if singular. */
function solveSquare(a: number[][], b: number[]): number[] {
  return Array.from(leastSquares(createMatrix(b.length, b.length, a.flat()), Float64Array.from(b)));
}

/**
 * UniPC coefficients (official `uni_pc.py` `multistep_uni_pc_bh_update`) for a step of signed log-SNR
 * size `hh` (−h for the data form), history ratios `rks` (r_k for each earlier point, then 1: its length
 * is the order). Orders 2 (predictor) and 1 (corrector) use the fixed 0.5 of the reference code.
 */
function uniPcCoefficients(
  hh: number,
  rks: readonly number[],
  variant: 'bh1' | 'bh2',
  corrector: boolean,
): UniPcCoefficients {
  const order = rks.length;
  const bh = variant === 'bh1' ? hh : Math.expm1(hh);
  const R: number[][] = [];
  const b: number[] = [];
  let hPhiK = Math.expm1(hh) / hh - 1;
  let factorial = 1;
  for (let i = 1; i <= order; i++) {
    R.push(rks.map((r) => r ** (i - 1)));
    b.push((hPhiK * factorial) / bh);
    factorial *= i + 1;
    hPhiK = hPhiK / hh - 1 / factorial;
  }
  const rhosP =
    order === 1
      ? []
      : order === 2
        ? [0.5]
        : solveSquare(
            R.slice(0, -1).map((row) => row.slice(0, -1)),
            b.slice(0, -1),
          );
  const rhosC = corrector ? (order === 1 ? [0.5] : solveSquare(R, b)) : [];
  return { bh, rhosP, rhosC };
}

/** `base − factor · (Σ_k rhos[k]·d1s[k] [+ rhos[last]·(mt − m0)])`, the UniP / UniC combination. */
function combine(
  base: Float64Array,
  d1s: readonly Float64Array[],
  rhos: readonly number[],
  factor: number,
  corrector?: { readonly mt: Float64Array; readonly m0: Float64Array },
): Float64Array {
  const out = new Float64Array(base.length);
  const last = rhos[rhos.length - 1]!;
  for (let j = 0; j < base.length; j++) {
    let res = 0;
    for (let k = 0; k < d1s.length; k++) res += rhos[k]! * d1s[k]![j]!;
    if (corrector) res += last * (corrector.mt[j]! - corrector.m0[j]!);
    out[j] = base[j]! - factor * res;
  }
  return out;
}

/** One UniPC step from s to t, after the caller has formed the history differences. */
export interface UniPcStep {
  /** The UniP predictor's x_t. */
  readonly predicted: Float64Array;
  /** The UniC corrected x_t from the model output `mt` at (predicted, t); only when asked for a corrector. */
  correct(mt: Float64Array): Float64Array;
}

/**
 * The UniP-p predictor (and UniC corrector) of one step from s to t in the data (x0) or noise (eps) form:
 * `x_t = lin·x − scale·(e^{hh} − 1)·m0 − scale·bh·Σ rho_k D1_k`, with `D1_k = (m_k − m0)/r_k`,
 * `hh = −h` (data) or `h` (noise), `h = lambda_t − lambda_s`; `rks` ends with 1 (its length is the order).
 */
export function uniPcStep(
  sch: NoiseSchedule,
  x: Float64Array,
  s: number,
  t: number,
  h: number,
  form: 'data' | 'noise',
  m0: Float64Array,
  rks: readonly number[],
  d1s: readonly Float64Array[],
  variant: 'bh1' | 'bh2',
  corrector: boolean,
): UniPcStep {
  const data = form === 'data';
  const hh = data ? -h : h;
  const hPhi1 = Math.expm1(hh);
  const { bh, rhosP, rhosC } = uniPcCoefficients(hh, rks, variant, corrector);
  // Base first-order map and its scale: data x~ = (s_t/s_s) x - a_t hPhi1 m0, noise uses alphas and sigma_t.
  const lin = data ? sch.sigma(t) / sch.sigma(s) : Math.exp(sch.logAlpha(t) - sch.logAlpha(s));
  const scale = data ? sch.alpha(t) : sch.sigma(t);
  const base = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) base[j] = lin * x[j]! - scale * hPhi1 * m0[j]!;
  const factor = scale * bh;
  return {
    predicted: combine(base, d1s, rhosP, factor),
    correct: (mt) => combine(base, d1s, rhosC, factor, { mt, m0 }),
  };
}
