import type { LbfgsStatus } from '@modelsmith/core-tensor';
import {
  createRandom,
  multiStartLbfgs,
  type ProgressCallback,
  parseOptions,
  symmetricEigen,
} from '@modelsmith/core-tensor';
import { PACKAGE_NAME } from '../errors.js';
import { numericalHessian } from '../internal/numerical-hessian.js';
import { type PreparedChinchillaData, prepareChinchillaData } from './chinchilla-data.js';
import { hoffmannGrid } from './chinchilla-grid.js';
import { chinchillaObjective } from './chinchilla-objective.js';
import { type ChinchillaParams, fromLogVector } from './chinchilla-params.js';
import {
  type ChinchillaPoints,
  chinchillaPointsSchema,
  type FitChinchillaOptions,
  fitChinchillaOptionsSchema,
  type ResolvedFitChinchillaOptions,
} from './fit-chinchilla-options.js';

export interface ChinchillaFit {
  readonly params: ChinchillaParams;
  /** [a, b, e, alpha, beta] at the optimum (A = e^a, B = e^b, E = e^e). */
  readonly logParams: readonly number[];
  /** Best Huber objective (summed or averaged as requested). */
  readonly objective: number;
  readonly starts: number;
  readonly startsAtBest: number;
  /** max_i |∂objective/∂x_i| at the best start's exit. */
  readonly gradientNorm: number;
  /** Why the best start stopped. */
  readonly status: LbfgsStatus;
  readonly iterations: number;
  readonly statusCounts: Readonly<Partial<Record<LbfgsStatus, number>>>;
  /** Condition number of the objective's Hessian at the optimum (log-space parameters). */
  readonly conditionNumber: number;
  /** N_opt exponent a = beta/(alpha+beta). */
  readonly allocationExponent: number;
  readonly pointsUsed: number;
  /** Row indices removed by `dropHighestLoss`. */
  readonly droppedRows: readonly number[];
  readonly warnings: readonly string[];
  readonly options: Omit<ResolvedFitChinchillaOptions, 'starts'> & { readonly starts: 'grid' | number };
  /** End points of all starts (kept for bootstrap warm starts; not serialised by the CLI). */
  readonly endpoints: readonly Float64Array[];
  /** Final objective of each start. */
  readonly startValues: Float64Array;
}

const GRID_BOX = { a: [0, 25], b: [0, 25], e: [-1, 1], alpha: [0, 2], beta: [0, 2] } as const;

function resolveStarts(options: ResolvedFitChinchillaOptions): Float64Array[] {
  if (options.starts === 'grid') return hoffmannGrid();
  if (typeof options.starts === 'number') {
    const rng = createRandom(options.seed, 'chinchilla-starts');
    const boxes = [GRID_BOX.a, GRID_BOX.b, GRID_BOX.e, GRID_BOX.alpha, GRID_BOX.beta];
    return Array.from({ length: options.starts }, (_, s) =>
      Float64Array.from(boxes, ([lo, hi], k) => lo + (hi - lo) * rng.uniform(s * 5 + k)),
    );
  }
  return options.starts.map((start) => Float64Array.from(start));
}

/** Runs the multi-start fit on prepared data; shared by the public fit, the bootstrap and the robustness checks. */
export function fitPreparedChinchilla(
  data: PreparedChinchillaData,
  options: ResolvedFitChinchillaOptions,
  starts: readonly ArrayLike<number>[],
  onProgress?: ProgressCallback,
): ChinchillaFit {
  const n = data.logN.length;
  const scale = options.reduce === 'mean' ? 1 / n : 1;
  const objective = chinchillaObjective(data, options.delta, scale);
  const run = multiStartLbfgs(objective, starts, {
    gradientTolerance: options.gradientTolerance,
    functionTolerance: options.functionTolerance,
    maxIterations: options.maxIterations,
    bestTolerance: options.bestTolerance,
    label: 'chinchilla fit',
    ...(onProgress ? { onProgress } : {}),
  });
  const x = run.best.x;
  const params = fromLogVector(x);
  const hessian = numericalHessian((point, out) => {
    objective(point, out);
  }, x);
  // core-tensor's symmetricEigen rejects non-finite entries; such a Hessian reports NaN eigenvalues as before.
  const eigen = hessian.every(Number.isFinite)
    ? symmetricEigen({ rows: 5, cols: 5, data: hessian }).values
    : new Float64Array(5).fill(Number.NaN);
  const smallest = eigen[0]!;
  const largest = eigen[4]!;
  const conditionNumber = smallest > 0 ? largest / smallest : Number.POSITIVE_INFINITY;

  const warnings: string[] = [];
  if (options.reduce === 'mean') {
    warnings.push(
      'objective is a mean, not a sum: its scale is ~n times smaller, so the optimizer tolerances stop it early ' +
        '(this is what biased Hoffmann et al.; Epoch 2024). Use reduce "sum".',
    );
  }
  if (run.best.status !== 'gradient') {
    warnings.push(
      `best start stopped on '${run.best.status}' with gradient norm ${run.best.gradientNorm.toExponential(2)} ` +
        `(> gradientTolerance ${options.gradientTolerance}); the optimum may not be fully converged`,
    );
  }
  if (run.startsAtBest <= 1 && run.starts > 1) {
    warnings.push(`only 1 of ${run.starts} starts reached the best objective; the fit may be fragile`);
  }
  if (smallest <= 0) {
    warnings.push(
      'the Hessian at the best point is not positive definite: the optimizer stopped short of a strict minimum',
    );
  } else if (conditionNumber > 1e12) {
    warnings.push(
      `the fit is ill-conditioned (Hessian condition number ${conditionNumber.toExponential(2)}): ` +
        'some parameters are not identified by these runs',
    );
  }
  if (params.alpha <= 1e-3 || params.beta <= 1e-3) {
    warnings.push('an exponent is at its lower bound (≈ 0): the data do not show a power law in N or D');
  }
  if (params.E < 1e-3 || x[0]! > 50 || x[1]! > 50) {
    warnings.push('a parameter ran off to a bound (E → 0 or A, B → ∞): the fit is degenerate');
  }
  const { starts: startsOption, ...rest } = options;
  return {
    params,
    logParams: Array.from(x),
    objective: run.best.value,
    starts: run.starts,
    startsAtBest: run.startsAtBest,
    gradientNorm: run.best.gradientNorm,
    status: run.best.status,
    iterations: run.best.iterations,
    statusCounts: run.statusCounts,
    conditionNumber,
    allocationExponent: params.beta / (params.alpha + params.beta),
    pointsUsed: n,
    droppedRows: data.dropped,
    warnings,
    options: { ...rest, starts: startsOption === 'grid' ? 'grid' : starts.length },
    endpoints: run.endpoints,
    startValues: run.values,
  };
}

/**
 * Fits Chinchilla Approach 3, L(N, D) = E + A/N^alpha + B/D^beta, as Hoffmann et al. and Epoch do: Huber loss
 * (δ = 1e-3) on log L − LSE(a − alpha·log N, b − beta·log D, e), summed, minimised by L-BFGS from every start
 * of the 4,500-point grid; the best start wins.
 */
export function fitChinchilla(
  points: ChinchillaPoints,
  options: FitChinchillaOptions & { onProgress?: ProgressCallback } = {},
): ChinchillaFit {
  const { onProgress, ...rest } = options;
  const input = parseOptions(PACKAGE_NAME, 'points', chinchillaPointsSchema, points);
  const resolved = parseOptions(PACKAGE_NAME, 'options', fitChinchillaOptionsSchema, rest);
  const data = prepareChinchillaData(input.params, input.tokens, input.loss, resolved.dropHighestLoss, 5);
  return fitPreparedChinchilla(data, resolved, resolveStarts(resolved), onProgress);
}
