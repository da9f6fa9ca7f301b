import { createMatrix, createRandom, inverse, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import type { DiffusionModel } from '../model/diffusion-model.js';
import { ModelEvaluator } from '../model/model-evaluator.js';
import { convertPrediction } from '../model/prediction-type.js';
import { integrate } from '../solvers/gauss-legendre.js';
import type { CommonSolverOptions, SolverResult } from '../solvers/solver-types.js';
import { validateGrid } from '../solvers/validate-grid.js';

/**
 * Empirical model statistics of DPM-Solver-v3 on an increasing lambda grid: `l, s, b` hold one value per
 * node and dimension (`nodes × dim`, row-major) and are linear in lambda between nodes.
 * `l` approximates the diagonal of the Jacobian of `sigma eps` w.r.t. x; `(s, b)` the linear fit
 * `f' ≈ s f + b` of `f = (sigma eps - l x)/alpha` along ODE trajectories.
 */
export interface EmpiricalModelStatistics {
  readonly dim: number;
  readonly lambdas: Float64Array;
  readonly l: Float64Array;
  readonly s: Float64Array;
  readonly b: Float64Array;
}

/** l = 1, s = b = 0: DPM-Solver-v3 then reduces exactly to (Taylor/Lagrange-form) DPM-Solver++. */
export function degenerateEms(dim: number, lambdaMin: number, lambdaMax: number): EmpiricalModelStatistics {
  return {
    dim,
    lambdas: Float64Array.of(lambdaMin, lambdaMax),
    l: new Float64Array(2 * dim).fill(1),
    s: new Float64Array(2 * dim),
    b: new Float64Array(2 * dim),
  };
}

/**
 * The integrals `L = ∫l, S = ∫s, B = ∫e^{-S} b, I = ∫e^{L+S}, C = ∫e^{L+S} B` per dimension: exact
 * (quadratic) for L and S, Gauss–Legendre within each interval for the rest; prefix values at the nodes.
 */
class EmsTables {
  readonly L: Float64Array;
  readonly S: Float64Array;
  readonly B: Float64Array;
  readonly I: Float64Array;
  readonly C: Float64Array;
  constructor(readonly ems: EmpiricalModelStatistics) {
    const d = ems.dim;
    const m = ems.lambdas.length;
    if (ems.l.length !== m * d || ems.s.length !== m * d || ems.b.length !== m * d) {
      throw diffusionError('E_SHAPE_MISMATCH', `EMS arrays must have lambdas.length × dim = ${m * d} values`);
    }
    this.L = new Float64Array(m * d);
    this.S = new Float64Array(m * d);
    this.B = new Float64Array(m * d);
    this.I = new Float64Array(m * d);
    this.C = new Float64Array(m * d);
    for (let j = 0; j + 1 < m; j++) {
      const u = ems.lambdas[j + 1]! - ems.lambdas[j]!;
      for (let i = 0; i < d; i++) {
        const v = this.within(j, i, u);
        const at = (j + 1) * d + i;
        this.L[at] = v[0];
        this.S[at] = v[1];
        this.B[at] = v[2];
        this.I[at] = v[3];
        this.C[at] = v[4];
      }
    }
  }

  /** Linear interpolation coefficients of a node array inside interval j: value = a + c u. */
  private lin(arr: Float64Array, j: number, i: number): [number, number] {
    const d = this.ems.dim;
    const w = this.ems.lambdas[j + 1]! - this.ems.lambdas[j]!;
    const a = arr[j * d + i]!;
    return [a, (arr[(j + 1) * d + i]! - a) / w];
  }

  /** (L + S) at offset u into interval j, dimension i. */
  logWeight(j: number, i: number, u: number): number {
    const k = j * this.ems.dim + i;
    const [l0, l1] = this.lin(this.ems.l, j, i);
    const [s0, s1] = this.lin(this.ems.s, j, i);
    return this.L[k]! + this.S[k]! + (l0 + s0) * u + 0.5 * (l1 + s1) * u * u;
  }

  /** [L, S, B, I, C] at offset u into interval j, dimension i. */
  within(j: number, i: number, u: number): [number, number, number, number, number] {
    const d = this.ems.dim;
    const k = j * d + i;
    const [l0, l1] = this.lin(this.ems.l, j, i);
    const [s0, s1] = this.lin(this.ems.s, j, i);
    const [b0, b1] = this.lin(this.ems.b, j, i);
    const L0 = this.L[k]!;
    const S0 = this.S[k]!;
    const B0 = this.B[k]!;
    const Lf = (v: number) => L0 + l0 * v + 0.5 * l1 * v * v;
    const Sf = (v: number) => S0 + s0 * v + 0.5 * s1 * v * v;
    const Bf = (v: number) =>
      B0 + (v === 0 ? 0 : integrate((w) => Math.exp(-Sf(w)) * (b0 + b1 * w), 0, v, 1));
    if (u === 0) return [L0, S0, B0, this.I[k]!, this.C[k]!];
    return [
      Lf(u),
      Sf(u),
      Bf(u),
      this.I[k]! + integrate((v) => Math.exp(Lf(v) + Sf(v)), 0, u, 1),
      this.C[k]! + integrate((v) => Math.exp(Lf(v) + Sf(v)) * Bf(v), 0, u, 1),
    ];
  }

  interval(lambda: number): number {
    const g = this.ems.lambdas;
    if (lambda < g[0]! - 1e-9 || lambda > g[g.length - 1]! + 1e-9) {
      throw diffusionError(
        'E_INPUT',
        `lambda ${lambda} is outside the EMS grid [${g[0]}, ${g[g.length - 1]}]`,
      );
    }
    let lo = 0;
    let hi = g.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (g[mid]! <= lambda) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** { L, S, B, I, C, l } for every dimension at lambda. */
  at(lambda: number) {
    const d = this.ems.dim;
    const j = this.interval(lambda);
    const u = lambda - this.ems.lambdas[j]!;
    const w = this.ems.lambdas[j + 1]! - this.ems.lambdas[j]!;
    const out = {
      L: new Float64Array(d),
      S: new Float64Array(d),
      B: new Float64Array(d),
      I: new Float64Array(d),
      C: new Float64Array(d),
      l: new Float64Array(d),
    };
    for (let i = 0; i < d; i++) {
      const v = this.within(j, i, u);
      out.L[i] = v[0];
      out.S[i] = v[1];
      out.B[i] = v[2];
      out.I[i] = v[3];
      out.C[i] = v[4];
      out.l[i] = this.ems.l[j * d + i]! + ((this.ems.l[(j + 1) * d + i]! - this.ems.l[j * d + i]!) * u) / w;
    }
    return out;
  }

  /** ∫_{a}^{b} e^{(L+S)(lambda)} (lambda - a)^k / k! dlambda for dimension i, split at EMS nodes. */
  moment(i: number, a: number, b: number, k: number): number {
    const g = this.ems.lambdas;
    let fact = 1;
    for (let q = 2; q <= k; q++) fact *= q;
    let total = 0;
    let lo = a;
    while (lo < b) {
      const j = Math.min(this.interval(lo), g.length - 2);
      const end = Math.min(b, g[j + 1]!);
      const start = g[j]!;
      total += integrate(
        (x) => {
          return Math.exp(this.logWeight(j, i, x - start)) * (x - a) ** k;
        },
        lo,
        end,
        1,
      );
      if (end <= lo) break;
      lo = end;
    }
    return total / fact;
  }
}

const solverSchema = z.object({ order: z.number().int().min(1).max(3).default(2) });

/**
 * Multistep DPM-Solver-v3 predictor (Zheng et al. 2023). In VE coordinates `y = x/alpha` the ODE is
 * `dy/dlambda = -l y - f`; with `g = e^{-S} f - B` (S, B, L, I, C integrals of the EMS),
 * `y_t = e^{L_s - L_t} y_s - e^{-L_t} [sum_k g^(k)(lambda_s) ∫ e^{L+S} (lambda - lambda_s)^k/k! + C_t - C_s]`,
 * with g's derivatives from the last `order` points (polynomial fit). The EMS are linear between nodes;
 * the integrals are exact (L, S) or Gauss–Legendre within each interval. NFE = steps.
 * This is the predictor only: the reference code's corrector and pseudo-order modes are left out (README, "Not done").
 */
export function dpmSolverV3(
  model: DiffusionModel,
  xT: Float64Array,
  times: ArrayLike<number>,
  ems: EmpiricalModelStatistics,
  options: z.input<typeof solverSchema> & CommonSolverOptions = {},
): SolverResult {
  const { correctX0, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'dpmSolverV3 options', solverSchema, rest);
  validateGrid(times);
  const d = ems.dim;
  if (xT.length % d !== 0)
    throw diffusionError('E_SHAPE_MISMATCH', `xT length ${xT.length} is not a multiple of EMS dim ${d}`);
  const tables = new EmsTables(ems);
  const ev = new ModelEvaluator(model, correctX0);
  const sch = model.schedule;
  const n = xT.length;
  // g at a point: f = sigma~ eps - l y, g = e^{-S} f - B (per dimension i = k mod d).
  const gAt = (x: Float64Array, t: number) => {
    const lam = sch.lambda(t);
    const a = sch.alpha(t);
    const eps = ev.eps(x, t);
    const tb = tables.at(lam);
    const st = Math.exp(-lam);
    const g = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = k % d;
      const f = st * eps[k]! - tb.l[i]! * (x[k]! / a);
      g[k] = Math.exp(-tb.S[i]!) * f - tb.B[i]!;
    }
    return { g, lam };
  };
  let x: Float64Array = Float64Array.from(xT);
  const hist = [gAt(x, times[0]!)];
  const steps = times.length - 1;
  for (let step = 1; step <= steps; step++) {
    const s = times[step - 1]!;
    const t = times[step]!;
    const order = Math.min(o.order, hist.length);
    const cur = hist[hist.length - 1]!;
    const lamS = cur.lam;
    const lamT = sch.lambda(t);
    // Polynomial fit of g through the last `order` points: coefficients c_k = g^(k)(lambda_s).
    const pts = hist.slice(hist.length - order);
    const A = pts.map((p) => {
      const row: number[] = [];
      let fact = 1;
      for (let k = 0; k < order; k++) {
        if (k > 0) fact *= k;
        row.push((p.lam - lamS) ** k / fact);
      }
      return row;
    });
    const ts = tables.at(lamS);
    const tt = tables.at(lamT);
    const moments: Float64Array[] = [];
    for (let k = 0; k < order; k++) {
      const mk = new Float64Array(d);
      for (let i = 0; i < d; i++) mk[i] = k === 0 ? tt.I[i]! - ts.I[i]! : tables.moment(i, lamS, lamT, k);
      moments.push(mk);
    }
    // Solve A c = g (same matrix for every coordinate) via A⁻¹ (row-major, entry (c, q) at c·order + q).
    const inv = inverse(createMatrix(order, order, A.flat())).data;
    const ratio = sch.alpha(t) / sch.alpha(s);
    const at = sch.alpha(t);
    const next = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = k % d;
      let acc = tt.C[i]! - ts.C[i]!;
      for (let c = 0; c < order; c++) {
        let coef = 0;
        for (let q = 0; q < order; q++) coef += inv[c * order + q]! * pts[q]!.g[k]!;
        acc += coef * moments[c]![i]!;
      }
      next[k] = ratio * Math.exp(ts.L[i]! - tt.L[i]!) * x[k]! - at * Math.exp(-tt.L[i]!) * acc;
    }
    x = next;
    if (step < steps) {
      hist.push(gAt(x, t));
      if (hist.length > 3) hist.shift();
    }
  }
  return { x, nfe: ev.nfe };
}

const emsSchema = z
  .object({
    tStart: z.number().positive(),
    tEnd: z.number().positive(),
    /** Number of EMS intervals, uniform in lambda. */
    intervals: z.number().int().min(2).default(100),
    /** Jacobian diagonal: exact by unit-vector finite differences up to this dim, else Rademacher probes. */
    exactDiagonalMaxDim: z.number().int().min(1).default(32),
    probes: z.number().int().min(1).default(8),
    seed: z.number().int().default(0),
    /** Finite-difference step for Jacobian-vector products. */
    delta: z.number().positive().default(1e-4),
  })
  .refine((o) => o.tStart > o.tEnd, { message: 'tStart must exceed tEnd' });

export type EstimateEmsOptions = z.input<typeof emsSchema>;

/**
 * Estimates DPM-Solver-v3 EMS for a model you can call, from start samples `xT` (batch × dim):
 * follows each probability-flow trajectory with RK4 on the node/midpoint grid, takes
 * `l = E[diag d(sigma eps)/dx]` at the nodes (finite-difference JVPs) and fits `f' ≈ s f + b` per node
 * and dimension by least squares over the batch (f' by central differences along the trajectory).
 * Costs 4 model calls per half-interval for the trajectory plus 2·dim (or 2·probes) per node.
 */
export function estimateEms(
  model: DiffusionModel,
  xT: Float64Array,
  dim: number,
  options: EstimateEmsOptions,
): EmpiricalModelStatistics {
  const o = parseOptions(PACKAGE_NAME, 'estimateEms options', emsSchema, options);
  if (xT.length % dim !== 0)
    throw diffusionError('E_SHAPE_MISMATCH', `xT length ${xT.length} is not a multiple of dim ${dim}`);
  const sch = model.schedule;
  const n = xT.length;
  const batch = n / dim;
  const M = o.intervals;
  const lam0 = sch.lambda(o.tStart);
  const lam1 = sch.lambda(o.tEnd);
  const lambdas = Float64Array.from({ length: M + 1 }, (_, j) => lam0 + ((lam1 - lam0) * j) / M);
  // VE coordinates: y = x/alpha, u = -lambda, dy/du = y - x0(y).
  const x0Of = (y: Float64Array, lam: number) => {
    const t = sch.tOfLambda(lam);
    const a = sch.alpha(t);
    return convertPrediction(
      model.denoise(
        y.map((v) => v * a),
        t,
      ),
      model.prediction,
      'x0',
      y.map((v) => v * a),
      a,
      sch.sigma(t),
    );
  };
  const rhs = (y: Float64Array, lam: number) => {
    const x0 = x0Of(y, lam);
    return y.map((v, k) => x0[k]! - v); // dy/dlambda = x0 - y
  };
  // Trajectory at nodes and midpoints (2M half-steps of RK4 in lambda).
  const states: Float64Array[] = [xT.map((v) => v / sch.alpha(o.tStart))];
  const half = (lam1 - lam0) / (2 * M);
  for (let q = 0; q < 2 * M; q++) {
    const y = states[q]!;
    const lam = lam0 + q * half;
    const k1 = rhs(y, lam);
    const k2 = rhs(
      y.map((v, k) => v + 0.5 * half * k1[k]!),
      lam + 0.5 * half,
    );
    const k3 = rhs(
      y.map((v, k) => v + 0.5 * half * k2[k]!),
      lam + 0.5 * half,
    );
    const k4 = rhs(
      y.map((v, k) => v + half * k3[k]!),
      lam + half,
    );
    states.push(y.map((v, k) => v + (half / 6) * (k1[k]! + 2 * k2[k]! + 2 * k3[k]! + k4[k]!)));
  }
  // sigma~ eps in VE coordinates = y - x0.
  const sEps = (y: Float64Array, lam: number) => {
    const x0 = x0Of(y, lam);
    return y.map((v, k) => v - x0[k]!);
  };
  const nodes = M + 1;
  const l = new Float64Array(nodes * dim);
  const s = new Float64Array(nodes * dim);
  const b = new Float64Array(nodes * dim);
  const rng = createRandom(o.seed, 'ems');
  let draw = 0;
  // l at every node: diagonal of the Jacobian of sigma~ eps w.r.t. y (= that of sigma eps w.r.t. x).
  const exact = dim <= o.exactDiagonalMaxDim;
  const probes = exact ? dim : o.probes;
  for (let j = 0; j < nodes; j++) {
    const lam = lambdas[j]!;
    const y = states[2 * j]!;
    const diag = new Float64Array(dim);
    for (let p = 0; p < probes; p++) {
      const v = new Float64Array(n);
      for (let k = 0; k < n; k++) v[k] = exact ? (k % dim === p ? 1 : 0) : rng.uniform(draw++) < 0.5 ? -1 : 1;
      const plus = sEps(
        y.map((val, k) => val + o.delta * v[k]!),
        lam,
      );
      const minus = sEps(
        y.map((val, k) => val - o.delta * v[k]!),
        lam,
      );
      for (let k = 0; k < n; k++)
        diag[k % dim] = diag[k % dim]! + (v[k]! * (plus[k]! - minus[k]!)) / (2 * o.delta);
    }
    for (let i = 0; i < dim; i++) l[j * dim + i] = diag[i]! / (batch * (exact ? 1 : probes));
  }
  // f = sigma~ eps - l(lambda) y on every half-step (l linear between nodes), then f' by differences.
  const fs = states.map((y, q) => {
    const e = sEps(y, lam0 + q * half);
    const j = q >> 1;
    return e.map((val, k) => {
      const i = k % dim;
      const lv = q % 2 === 0 ? l[j * dim + i]! : 0.5 * (l[j * dim + i]! + l[(j + 1) * dim + i]!);
      return val - lv * y[k]!;
    });
  });
  for (let j = 0; j < nodes; j++) {
    const q = 2 * j;
    const lo = Math.max(0, q - 1);
    const hi = Math.min(2 * M, q + 1);
    const fm = fs[q]!;
    const fa = fs[lo]!;
    const fb = fs[hi]!;
    const span = (hi - lo) * half;
    for (let i = 0; i < dim; i++) {
      let mf = 0;
      let md = 0;
      for (let p = 0; p < batch; p++) {
        mf += fm[p * dim + i]!;
        md += (fb[p * dim + i]! - fa[p * dim + i]!) / span;
      }
      mf /= batch;
      md /= batch;
      let cov = 0;
      let varF = 0;
      for (let p = 0; p < batch; p++) {
        const df = (fb[p * dim + i]! - fa[p * dim + i]!) / span - md;
        const ff = fm[p * dim + i]! - mf;
        cov += df * ff;
        varF += ff * ff;
      }
      // Ridge term relative to E[f^2]: when f hardly varies over the batch (e.g. Gaussian data, where f
      // does not depend on x) the slope is not identifiable and falls back to 0 (b then carries f').
      const slope = cov / (varF + 1e-8 * (varF + batch * mf * mf) + 1e-300);
      s[j * dim + i] = slope;
      b[j * dim + i] = md - slope * mf;
    }
  }
  // Increasing lambda order is required by the tables; the grid runs tStart (low lambda) → tEnd.
  return { dim, lambdas, l, s, b };
}
