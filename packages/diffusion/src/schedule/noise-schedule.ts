/**
 * A forward process `x_t = alpha(t) x0 + sigma(t) eps` with half-logSNR
 * `lambda(t) = log(alpha/sigma)` strictly decreasing in t, so it has an inverse.
 * Every continuous solver in this package only needs these four functions.
 */
export interface NoiseSchedule {
  readonly kind: 'vp' | 've' | 'flow';
  /** Smallest and largest valid time. */
  readonly tMin: number;
  readonly tMax: number;
  logAlpha(t: number): number;
  alpha(t: number): number;
  sigma(t: number): number;
  lambda(t: number): number;
  /** Inverse of `lambda`. */
  tOfLambda(lambda: number): number;
}

/** `log(alpha)` from lambda on a VP schedule: `-0.5 log(1 + e^{-2 lambda})`. */
export function vpLogAlphaOfLambda(lambda: number): number {
  const z = -2 * lambda;
  // log1p(e^z) without overflow.
  return -0.5 * (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
}

/** `sigma = sqrt(1 - alpha^2)` computed from `log alpha` without cancellation. */
export function vpSigmaOfLogAlpha(logAlpha: number): number {
  return Math.sqrt(-Math.expm1(2 * logAlpha));
}

/** `lambda = log alpha - log sigma` on a VP schedule. */
export function vpLambdaOfLogAlpha(logAlpha: number): number {
  return logAlpha - 0.5 * Math.log(-Math.expm1(2 * logAlpha));
}

/**
 * A VP schedule from its `log alpha(t)` and the inverse of lambda: alpha, sigma and lambda follow
 * (`alpha^2 + sigma^2 = 1`), computed from `log alpha` without cancellation.
 */
export function vpScheduleFromLogAlpha(
  tMin: number,
  tMax: number,
  logAlpha: (t: number) => number,
  tOfLambda: (lambda: number) => number,
): NoiseSchedule {
  return {
    kind: 'vp',
    tMin,
    tMax,
    logAlpha,
    alpha: (t) => Math.exp(logAlpha(t)),
    sigma: (t) => vpSigmaOfLogAlpha(logAlpha(t)),
    lambda: (t) => vpLambdaOfLogAlpha(logAlpha(t)),
    tOfLambda,
  };
}
