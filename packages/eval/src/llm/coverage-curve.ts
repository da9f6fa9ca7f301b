import { evalError } from '../errors.js';
import { passAtKDataset, type TaskCounts } from './pass-at-k.js';

/** Coverage(k): fraction of tasks solved by ≥ 1 of k samples, estimated unbiasedly (Brown et al. 2024). */
export function coverageCurve(
  tasks: readonly TaskCounts[],
  ks: readonly number[],
): { k: number; coverage: number }[] {
  const result = passAtKDataset(tasks, ks);
  return ks.map((k) => ({ k, coverage: result.passAtK[String(k)]! }));
}

export interface ExpPowerLawFit {
  /** log coverage ≈ a·k^b (a < 0, b < 0). */
  readonly a: number;
  readonly b: number;
  /** R² of the linear fit of log(−log c) on log k. */
  readonly r2: number;
  /** Weighted Σ (c − exp(a·k^b))² of the returned (a, b). */
  readonly sse: number;
}

function coverageSse(
  ks: readonly number[],
  c: readonly number[],
  w: readonly number[],
  a: number,
  b: number,
): number {
  let sse = 0;
  ks.forEach((k, i) => {
    sse += w[i]! * (c[i]! - Math.exp(a * k ** b)) ** 2;
  });
  return sse;
}

/** Levenberg–Marquardt on the coverage residuals c − exp(a·k^b), started from the log–log fit. */
function refine(
  ks: readonly number[],
  c: readonly number[],
  w: readonly number[],
  a0: number,
  b0: number,
): [number, number] {
  let a = a0;
  let b = b0;
  let sse = coverageSse(ks, c, w, a, b);
  let lambda = 1e-3;
  for (let iter = 0; iter < 200; iter++) {
    // Normal equations JᵀWJ·δ = JᵀW·r for the two parameters.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    ks.forEach((k, i) => {
      const kb = k ** b;
      const f = Math.exp(a * kb);
      const da = f * kb;
      const db = f * a * kb * Math.log(k);
      const r = c[i]! - f;
      jaa += w[i]! * da * da;
      jab += w[i]! * da * db;
      jbb += w[i]! * db * db;
      ga += w[i]! * da * r;
      gb += w[i]! * db * r;
    });
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const maa = jaa * (1 + lambda);
      const mbb = jbb * (1 + lambda);
      const det = maa * mbb - jab * jab;
      if (!(Math.abs(det) > 0)) break;
      const na = a + (mbb * ga - jab * gb) / det;
      const nb = b + (maa * gb - jab * ga) / det;
      const nsse = coverageSse(ks, c, w, na, nb);
      if (Number.isFinite(nsse) && nsse <= sse) {
        const done = sse - nsse <= 1e-15 * Math.max(sse, 1e-300);
        a = na;
        b = nb;
        sse = nsse;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (done) return [a, b];
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  return [a, b];
}

/**
 * Fits the exponentiated power law log c(k) = a·k^b by (weighted) least squares of log(−log c) on log k,
 * optionally refined by Levenberg–Marquardt least squares on c itself (`refine`). Coverage values must lie
 * strictly in (0, 1).
 */
export function fitExpPowerLaw(
  ks: readonly number[],
  coverage: readonly number[],
  weights?: readonly number[],
  options: { refine?: boolean } = {},
): ExpPowerLawFit {
  if (ks.length !== coverage.length || ks.length < 2) {
    throw evalError(
      'E_INPUT',
      `need ≥ 2 (k, coverage) points of equal length, got ${ks.length} k and ${coverage.length} coverage values`,
    );
  }
  if (weights && weights.length !== ks.length)
    throw evalError('E_SHAPE_MISMATCH', `weights has ${weights.length} entries, expected ${ks.length}`);
  const xs: number[] = [];
  const ys: number[] = [];
  ks.forEach((k, i) => {
    const c = coverage[i]!;
    if (!(k > 0)) throw evalError('E_INPUT', `ks[${i}] must be positive, got ${k}`);
    if (!(c > 0 && c < 1))
      throw evalError('E_INPUT', `coverage[${i}] must be in (0, 1) for the log–log fit, got ${c}`);
    xs.push(Math.log(k));
    ys.push(Math.log(-Math.log(c)));
  });
  const w = weights ?? xs.map(() => 1);
  let sw = 0;
  let mx = 0;
  let my = 0;
  xs.forEach((x, i) => {
    sw += w[i]!;
    mx += w[i]! * x;
    my += w[i]! * ys[i]!;
  });
  mx /= sw;
  my /= sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += w[i]! * (x - mx) * (ys[i]! - my);
    sxx += w[i]! * (x - mx) ** 2;
    syy += w[i]! * (ys[i]! - my) ** 2;
  });
  if (!(sxx > 0)) throw evalError('E_INPUT', 'all k values are equal; the power law is not identifiable');
  const b = sxy / sxx;
  const intercept = my - b * mx;
  const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  let a = -Math.exp(intercept);
  let bb = b;
  if (options.refine) [a, bb] = refine(ks, coverage, w, a, b);
  return { a, b: bb, r2, sse: coverageSse(ks, coverage, w, a, bb) };
}
