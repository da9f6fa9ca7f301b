import { createMatrix, leastSquares } from '@modelsmith/core-tensor';

/** The UniPC bh weights of one step: `bh` scales the update, `rhosP` / `rhosC` weight the differences. */
export interface UniPcCoefficients {
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
export function uniPcCoefficients(
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
