import { scalingError } from '../errors.js';
import { type ChinchillaParams, chinchillaLoss } from './chinchilla-params.js';

export interface ComputeOptimalAllocation {
  /** Training compute C (FLOP), C ≈ 6·N·D. */
  readonly compute: number;
  readonly params: number;
  readonly tokens: number;
  readonly tokensPerParam: number;
  /** Predicted loss L(N_opt, D_opt). */
  readonly loss: number;
  /** Exponents a = beta/(alpha+beta), b = alpha/(alpha+beta) and the constant G. */
  readonly a: number;
  readonly b: number;
  readonly G: number;
}

function checkParams(p: ChinchillaParams): void {
  for (const [name, value] of Object.entries(p)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw scalingError('E_INPUT', `Chinchilla parameter ${name} = ${value} must be finite and > 0`);
    }
  }
}

/** G, a, b of the compute-optimal frontier (Hoffmann et al. 2022, Eq. 4). */
export function allocationConstants(p: ChinchillaParams): { G: number; a: number; b: number } {
  const sum = p.alpha + p.beta;
  return { G: ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / sum), a: p.beta / sum, b: p.alpha / sum };
}

/** N_opt = G·(C/6)^a and D_opt = G⁻¹·(C/6)^b for a compute budget C (FLOP). */
export function computeOptimal(p: ChinchillaParams, compute: number): ComputeOptimalAllocation {
  checkParams(p);
  if (!(Number.isFinite(compute) && compute > 0)) {
    throw scalingError('E_INPUT', `compute = ${compute} must be a positive number of FLOP (e.g. 5.76e23)`);
  }
  const { G, a, b } = allocationConstants(p);
  const params = G * (compute / 6) ** a;
  const tokens = (compute / 6) ** b / G;
  return {
    compute,
    params,
    tokens,
    tokensPerParam: tokens / params,
    loss: chinchillaLoss(p, params, tokens),
    a,
    b,
    G,
  };
}

/**
 * The compute C whose compute-optimal model reaches `targetLoss`: inverts the frontier's reducible loss
 * (A·G^−alpha + B·G^beta)·(C/6)^(−alpha·beta/(alpha+beta)) = targetLoss − E.
 */
export function computeForLoss(p: ChinchillaParams, targetLoss: number): ComputeOptimalAllocation {
  checkParams(p);
  if (!(Number.isFinite(targetLoss) && targetLoss > p.E)) {
    throw scalingError(
      'E_INPUT',
      `target loss ${targetLoss} must be above the irreducible loss E = ${p.E}; no compute budget reaches it otherwise`,
    );
  }
  const { G } = allocationConstants(p);
  const k = p.A * G ** -p.alpha + p.B * G ** p.beta;
  const exponent = (p.alpha * p.beta) / (p.alpha + p.beta);
  const compute = 6 * ((targetLoss - p.E) / k) ** (-1 / exponent);
  return computeOptimal(p, compute);
}
