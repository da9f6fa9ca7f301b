import { createRandom, type KeyedRandom } from '@modelsmith/core-tensor';

/**
 * The LC-PFN prior (automl/lcpfn `sample_from_prior`, "peaked" hyper-priors): y(x) = w1·pow3 + w2·ilog2 +
 * w3·janoschek with w_k ~ U(0, 1); pow3: a ~ U(−0.6, 0.6), c ~ U(0, 1.25), alpha ~ LogNormal(0, 2);
 * ilog2: c ~ U(0, 1), a ~ U(−0.5, 0.5); janoschek: a ~ U(0, 1), beta ~ U(0, 2), k ~ LogNormal(−2, 1),
 * delta ~ LogNormal(0, 0.5); noise sd = exp(N(−4, 1)). Curves that do not end above their start, leave
 * [0, 1] on x = 1..length, or contain NaN are rejected.
 */

/** Parameter vector layout shared by the prior, the posterior and the sampler. */
export const LC_PARAMETERS = [
  'w_pow3',
  'w_ilog2',
  'w_janoschek',
  'pow3_c',
  'pow3_a',
  'pow3_alpha',
  'ilog2_c',
  'ilog2_a',
  'janoschek_a',
  'janoschek_beta',
  'janoschek_k',
  'janoschek_delta',
  'sigma',
] as const;

export const LC_DIMENSION = LC_PARAMETERS.length;

/** Noise-free mixture value at x for natural parameters θ (layout LC_PARAMETERS). */
export function lcMean(theta: ArrayLike<number>, x: number): number {
  const lx = Math.log(x);
  const pow3 = theta[3]! - theta[4]! * Math.exp(-theta[5]! * lx);
  const ilog2 = theta[6]! - theta[7]! / Math.log(x + 1);
  const jan = theta[8]! - (theta[8]! - theta[9]!) * Math.exp(-theta[10]! * Math.exp(theta[11]! * lx));
  return theta[0]! * pow3 + theta[1]! * ilog2 + theta[2]! * jan;
}

/** True when the noise-free curve on x = 1..length stays in [0, 1] and ends above its start. */
export function lcSatisfiesConstraints(theta: ArrayLike<number>, length: number): boolean {
  let first = 0;
  for (let x = 1; x <= length; x++) {
    const y = lcMean(theta, x);
    if (!(y >= 0 && y <= 1)) return false;
    if (x === 1) first = y;
    if (x === length && !(y > first)) return false;
  }
  return true;
}

export interface PriorCurve {
  /** Natural parameters in LC_PARAMETERS order. */
  readonly theta: Float64Array;
  /** Noise-free curve at x = 1..length. */
  readonly y: Float64Array;
  /** The same curve plus Gaussian noise with sd theta[12]. */
  readonly yNoisy: Float64Array;
}

function drawTheta(rng: KeyedRandom, base: number): Float64Array {
  let i = base;
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform(i++);
  const logNormal = (mu: number, sd: number) => Math.exp(mu + sd * rng.normal(i++));
  return Float64Array.of(
    u(0, 1),
    u(0, 1),
    u(0, 1),
    u(0, 1.25),
    u(-0.6, 0.6),
    logNormal(0, 2),
    u(0, 1),
    u(-0.5, 0.5),
    u(0, 1),
    u(0, 2),
    logNormal(-2, 1),
    logNormal(0, 0.5),
    logNormal(-4, 1),
  );
}

/** Draws curve number `index` of the prior for `seed`, with rejection as in LC-PFN. */
export function sampleLcPrior(seed: number, index: number, length = 100): PriorCurve {
  const rng = createRandom(seed, 'lc-prior', index);
  for (let attempt = 0; ; attempt++) {
    const theta = drawTheta(rng, attempt * 32);
    if (!lcSatisfiesConstraints(theta, length)) continue;
    const y = new Float64Array(length);
    const yNoisy = new Float64Array(length);
    const noise = createRandom(seed, 'lc-prior-noise', index);
    for (let x = 1; x <= length; x++) {
      y[x - 1] = lcMean(theta, x);
      yNoisy[x - 1] = y[x - 1]! + theta[12]! * noise.normal(x);
    }
    return { theta, y, yNoisy };
  }
}

/** Prior draws in the constraint set, used to initialise MAP and the sampler. */
export function drawValidThetas(
  rng: KeyedRandom,
  count: number,
  length: number,
  maxAttempts: number,
): Float64Array[] {
  const out: Float64Array[] = [];
  for (let attempt = 0; attempt < maxAttempts && out.length < count; attempt++) {
    const theta = drawTheta(rng, attempt * 32);
    if (lcSatisfiesConstraints(theta, length)) out.push(theta);
  }
  return out;
}
