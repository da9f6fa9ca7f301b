import { fitExpPowerLaw as fitExpPowerLawCore } from '@modelsmith/core-tensor';
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

/**
 * Fits the exponentiated power law log c(k) = a·k^b by (weighted) least squares of log(−log c) on log k,
 * optionally refined by least squares on c itself (`refine`): core-tensor's `fitExpPowerLaw` with the
 * 'linearized' or 'coverage' criterion. Coverage values must lie strictly in (0, 1).
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
  ks.forEach((k, i) => {
    const c = coverage[i]!;
    if (!(k > 0)) throw evalError('E_INPUT', `ks[${i}] must be positive, got ${k}`);
    if (!(c > 0 && c < 1))
      throw evalError('E_INPUT', `coverage[${i}] must be in (0, 1) for the log–log fit, got ${c}`);
  });
  if (ks.every((k) => k === ks[0]))
    throw evalError('E_INPUT', 'all k values are equal; the power law is not identifiable');
  const fit = fitExpPowerLawCore(ks, coverage, {
    ...(weights ? { weights } : {}),
    criterion: options.refine ? 'coverage' : 'linearized',
  });
  return { a: fit.a, b: fit.b, r2: fit.r2, sse: fit.sse };
}
