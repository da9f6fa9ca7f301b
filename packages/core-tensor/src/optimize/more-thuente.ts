/**
 * Moré–Thuente line search (MINPACK-2 `dcsrch`/`dcstep`), the one L-BFGS-B uses. It returns a step that
 * satisfies the strong Wolfe conditions f(t) <= f(0) + ftol·t·g(0) and |g(t)| <= gtol·|g(0)|, or reports why
 * it could not.
 */

export interface LineSearchResult {
  readonly step: number;
  readonly value: number;
  readonly slope: number;
  readonly evaluations: number;
  /** 'converged' when both Wolfe conditions hold; otherwise the MINPACK warning or error. */
  readonly status: 'converged' | 'rounding' | 'xtol' | 'stpmax' | 'stpmin' | 'max-evaluations' | 'not-finite';
}

export interface LineSearchOptions {
  readonly ftol: number;
  readonly gtol: number;
  readonly xtol: number;
  readonly stpmin: number;
  readonly stpmax: number;
  readonly maxEvaluations: number;
}

/** phi(t) returns [f(x + t·d), d·∇f(x + t·d)]. */
export type LineFunction = (step: number) => readonly [number, number];

interface StepState {
  stx: number;
  fx: number;
  dx: number;
  sty: number;
  fy: number;
  dy: number;
  stp: number;
  brackt: boolean;
}

// dcstep: safeguarded cubic/quadratic step that keeps the minimiser bracketed.
function dcstep(s: StepState, fp: number, dp: number, stpmin: number, stpmax: number): void {
  const { stx, fx, dx, sty, fy, dy, stp } = s;
  const sgnd = Math.sign(dp) * Math.sign(dx);
  let stpf: number;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) <= Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dx / sc) * (dp / sc)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.min(stpmax, Math.max(stpmin, stpf));
    }
  } else if (s.brackt) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const sc = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = sc * Math.sqrt(Math.max(0, (theta / sc) ** 2 - (dy / sc) * (dp / sc)));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.dy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.dy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.dx = dp;
  }
  s.stp = stpf;
}

/**
 * Searches along a descent direction from f0 (slope g0 < 0), starting at `initialStep`.
 * Ported from MINPACK-2 so that our L-BFGS takes the same steps as scipy's L-BFGS-B on unbounded problems.
 */
export function moreThuente(
  phi: LineFunction,
  f0: number,
  g0: number,
  initialStep: number,
  options: LineSearchOptions,
): LineSearchResult {
  const { ftol, gtol, xtol, stpmin, stpmax, maxEvaluations } = options;
  const gtest = ftol * g0;
  let width = stpmax - stpmin;
  let width1 = width / 0.5;
  const s: StepState = { stx: 0, fx: f0, dx: g0, sty: 0, fy: f0, dy: g0, stp: initialStep, brackt: false };
  let stage = 1;
  let stmin = 0;
  let stmax = initialStep + 4 * initialStep;
  let evaluations = 0;
  let f = f0;
  let g = g0;
  for (;;) {
    if (evaluations >= maxEvaluations)
      return { step: s.stp, value: f, slope: g, evaluations, status: 'max-evaluations' };
    const stp = s.stp;
    [f, g] = phi(stp);
    evaluations++;
    if (!Number.isFinite(f) || !Number.isFinite(g)) {
      return { step: stp, value: f, slope: g, evaluations, status: 'not-finite' };
    }
    const ftest = f0 + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    let status: LineSearchResult['status'] | undefined;
    if (s.brackt && (stp <= stmin || stp >= stmax)) status = 'rounding';
    if (s.brackt && stmax - stmin <= xtol * stmax) status = 'xtol';
    if (stp === stpmax && f <= ftest && g <= gtest) status = 'stpmax';
    if (stp === stpmin && (f > ftest || g >= gtest)) status = 'stpmin';
    if (f <= ftest && Math.abs(g) <= gtol * -g0) status = 'converged';
    if (status !== undefined) return { step: stp, value: f, slope: g, evaluations, status };

    if (stage === 1 && f <= s.fx && f > ftest) {
      // Modified function psi(t) = f(t) - f(0) - ftol·t·g(0) until the sufficient-decrease test holds.
      const m: StepState = {
        stx: s.stx,
        fx: s.fx - s.stx * gtest,
        dx: s.dx - gtest,
        sty: s.sty,
        fy: s.fy - s.sty * gtest,
        dy: s.dy - gtest,
        stp,
        brackt: s.brackt,
      };
      dcstep(m, f - stp * gtest, g - gtest, stmin, stmax);
      s.stx = m.stx;
      s.sty = m.sty;
      s.stp = m.stp;
      s.brackt = m.brackt;
      s.fx = m.fx + m.stx * gtest;
      s.fy = m.fy + m.sty * gtest;
      s.dx = m.dx + gtest;
      s.dy = m.dy + gtest;
    } else {
      dcstep(s, f, g, stmin, stmax);
    }
    if (s.brackt) {
      if (Math.abs(s.sty - s.stx) >= 0.66 * width1) s.stp = s.stx + 0.5 * (s.sty - s.stx);
      width1 = width;
      width = Math.abs(s.sty - s.stx);
      stmin = Math.min(s.stx, s.sty);
      stmax = Math.max(s.stx, s.sty);
    } else {
      stmin = s.stp + 1.1 * (s.stp - s.stx);
      stmax = s.stp + 4 * (s.stp - s.stx);
    }
    s.stp = Math.min(stpmax, Math.max(stpmin, s.stp));
    if ((s.brackt && (s.stp <= stmin || s.stp >= stmax)) || (s.brackt && stmax - stmin <= xtol * stmax)) {
      s.stp = s.stx;
    }
  }
}
