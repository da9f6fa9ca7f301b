import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { integrate, lagrangeBasis } from '../solvers/gauss-legendre.js';
import type { CommonSolverOptions, SolverResult } from '../solvers/solver-types.js';
import { validateGrid } from '../solvers/validate-grid.js';
import type { NoiseSampler } from './noise-sampler.js';

const schema = z.object({
  /** Number of x0 values in the SA-Predictor's Lagrange interpolation (1–3). */
  predictorOrder: z.number().int().min(1).max(3).default(2),
  /** Number of x0 values in the SA-Corrector, the new one included (1–3); 0 switches the corrector off. */
  correctorOrder: z.number().int().min(0).max(3).default(2),
  /** diffusers `lower_order_final`: predictor order ≤ steps left (diffusers default true; it costs the asymptotic order). */
  lowerOrderFinal: z.boolean().default(false),
  /** Constant stochasticity tau ≥ 0 (0 = deterministic ODE solver); pass `tauAt` for a time-dependent tau. */
  tau: z.number().min(0).default(1),
});

export type SaSolverOptions = z.input<typeof schema> &
  CommonSolverOptions & {
    /** tau as a function of the step's start time (diffusers `tau_func`); overrides `tau`. */
    readonly tauAt?: (t: number) => number;
    /** Standard normal noise per step; needed whenever tau > 0 (`perSampleNoise(seed, sampleSize)`). */
    readonly noise?: NoiseSampler;
  };

/**
 * Coefficients of one SA step from lambda_s to lambda_t with nodes `lams` (newest first): the
 * x0-weights `(1+tau^2) alpha_t ∫ e^{-(1+tau^2)(lambda_t - l)} L_j(l) dl` of the Lagrange basis L_j,
 * plus diffusers' O(h^3) adjustment for two nodes (like UniPC's B(h)).
 */
function stepCoefficients(
  lamS: number,
  lamT: number,
  lams: number[],
  tau2: number,
  alphaT: number,
  predictor: boolean,
) {
  const k = 1 + tau2;
  const c = lams.map(
    (_, j) =>
      k * alphaT * integrate((l) => Math.exp(-k * (lamT - l)) * lagrangeBasis(lams, j, l), lamS, lamT, 2),
  );
  if (lams.length === 2) {
    const h = lamT - lamS;
    const kh = k * h;
    // diffusers adds e^{k lambda_t}(h^2/2 - (kh - 1 + e^{-kh})/k^2)/(lambda_s0 - lambda_s1) (predictor) or
    // e^{k lambda_t}(h/2 - (kh - 1 + e^{-kh})/(k^2 h)) (corrector) to the raw integral of node 0 and
    // subtracts it from node 1; in our normalisation that integral is scaled by k alpha_t e^{-k lambda_t}.
    const g = (kh + Math.expm1(-kh)) / (k * k);
    const adj = predictor ? (h * h) / 2 - g : h / 2 - g / h;
    const d = (k * alphaT * adj) / (predictor ? lams[0]! - lams[1]! : 1);
    c[0] = c[0]! + d;
    c[1] = c[1]! - d;
  }
  return c;
}

/**
 * SA-Solver (Xue et al. 2023, diffusers `SASolverScheduler`) in data-prediction form: the SDE
 * `x_t = e^{-tau^2 h}(sigma_t/sigma_s) x_s + (1+tau^2) sigma_t ∫ e^{-tau^2(lambda_t-l)} e^{l} x0 dl
 * + sigma_t sqrt(1 - e^{-2 tau^2 h}) z` with x0 Lagrange-interpolated in lambda through the last
 * `predictorOrder` model outputs (stochastic Adams–Bashforth), then, once the model has been called at
 * the predicted x_t, the same step redone with the same z through the new output and the
 * `correctorOrder - 1` before it (stochastic Adams–Moulton). The corrected x_t is kept, the output at the
 * predicted point is reused, so NFE = steps. Orders warm up (1, 2, …) as in diffusers; tau = 0 is the
 * deterministic solver (order min(correctorOrder, predictorOrder + 1), or predictorOrder without corrector);
 * tau = 1 with order 1 and no corrector is SDE-DPM-Solver++(1). A final time with sigma = 0 gets x = alpha x0.
 */
export function saSolver(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  options: SaSolverOptions = {},
): SolverResult {
  const { correctX0, tauAt, noise, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'saSolver options', schema, rest);
  validateGrid(times);
  if (tauAt === undefined && o.tau > 0 && noise === undefined) {
    throw diffusionError(
      'E_INPUT',
      'saSolver with tau > 0 needs a noise sampler: pass noise: perSampleNoise(seed, sampleSize) or tau: 0',
    );
  }
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const steps = times.length - 1;
  const n = xT.length;
  const lam = Array.from(times, (t) => sch.lambda(t));
  const hist: Float64Array[] = [];
  const histLam: number[] = [];
  const keep = Math.max(o.predictorOrder, o.correctorOrder - 1, 1);
  let x: Float64Array = Float64Array.from(xT);
  let lastX: Float64Array | null = null;
  const z = new Float64Array(n);
  const zPrev = new Float64Array(n);
  let lastTau2 = 0;
  let lastCorrector = 0;

  /** One SA step from grid index i to i + 1 through the x0 values `outs` at lambdas `lams`. */
  const stepFrom = (
    xs: Float64Array,
    i: number,
    outs: Float64Array[],
    lams: number[],
    tau2: number,
    noiseVec: Float64Array,
    predictor: boolean,
  ) => {
    const st = sch.sigma(times[i + 1]!);
    const at = sch.alpha(times[i + 1]!);
    const next = new Float64Array(n);
    if (st === 0) {
      for (let k = 0; k < n; k++) next[k] = at * outs[0]![k]!;
      return next;
    }
    const h = lam[i + 1]! - lam[i]!;
    const lin = Math.exp(-tau2 * h) * (st / sch.sigma(times[i]!));
    const c = stepCoefficients(lam[i]!, lam[i + 1]!, lams, tau2, at, predictor);
    const amp = st * Math.sqrt(-Math.expm1(-2 * tau2 * h));
    for (let k = 0; k < n; k++) {
      let v = lin * xs[k]! + amp * noiseVec[k]!;
      for (let j = 0; j < c.length; j++) v += c[j]! * outs[j]![k]!;
      next[k] = v;
    }
    return next;
  };

  for (let i = 0; i < steps; i++) {
    const s = times[i]!;
    const m = ev.x0(x, s);
    if (lastX !== null && lastCorrector > 0) {
      // Corrector: redo step i-1 → i through the new output (newest first) with the same noise and tau.
      const outs = [m, ...hist.slice(0, lastCorrector - 1)];
      const lams = [lam[i]!, ...histLam.slice(0, lastCorrector - 1)];
      x = stepFrom(lastX, i - 1, outs, lams, lastTau2, zPrev, false);
    }
    hist.unshift(m);
    histLam.unshift(lam[i]!);
    if (hist.length > keep) {
      hist.pop();
      histLam.pop();
    }
    const tau = tauAt === undefined ? o.tau : tauAt(s);
    if (!(tau >= 0) || !Number.isFinite(tau)) {
      throw diffusionError('E_INPUT', `saSolver tauAt(${s}) = ${tau}; tau must be a finite number ≥ 0`);
    }
    const tau2 = tau * tau;
    if (tau2 > 0) {
      if (noise === undefined) {
        throw diffusionError(
          'E_INPUT',
          `saSolver tauAt(${s}) = ${tau} > 0 needs a noise sampler (options.noise)`,
        );
      }
      noise(i, s, times[i + 1]!, z);
    } else z.fill(0);
    const pMax = o.lowerOrderFinal ? Math.min(o.predictorOrder, steps - i) : o.predictorOrder;
    const cMax = o.lowerOrderFinal ? Math.min(o.correctorOrder, steps - i + 1) : o.correctorOrder;
    const p = Math.min(pMax, i + 1);
    lastCorrector = Math.min(cMax, i + 2);
    lastTau2 = tau2;
    lastX = x;
    zPrev.set(z);
    x = stepFrom(x, i, hist.slice(0, p), histLam.slice(0, p), tau2, z, true);
  }
  return { x, nfe: ev.nfe };
}
