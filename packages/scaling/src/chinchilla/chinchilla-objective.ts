/**
 * The Approach-3 objective in log space: Σ Huber_δ(LSE(a − α·log N, b − β·log D, e) − log L), with its
 * analytic gradient. Parameter vector order: [a, b, e, alpha, beta] (A = e^a, B = e^b, E = e^e).
 */

export interface ChinchillaData {
  readonly logN: Float64Array;
  readonly logD: Float64Array;
  readonly logLoss: Float64Array;
}

/** Huber_δ(r): r²/2 for |r| <= δ, δ·(|r| − δ/2) beyond (scipy.special.huber). */
export function huber(delta: number, r: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** Log-space prediction log L̂ = LSE(a − α log N, b − β log D, e), computed stably. */
export function chinchillaLogPrediction(p: ArrayLike<number>, logN: number, logD: number): number {
  const t1 = p[0]! - p[3]! * logN;
  const t2 = p[1]! - p[4]! * logD;
  const e = p[2]!;
  const m = Math.max(t1, t2, e);
  return m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m) + Math.exp(e - m));
}

/**
 * Returns an objective-with-gradient closure. `weights` (optional) multiplies each point's Huber term, which
 * is how bootstrap resamples are expressed without copying data; `scale` is 1 for a sum and 1/n for a mean.
 */
export function chinchillaObjective(
  data: ChinchillaData,
  delta: number,
  scale: number,
  weights?: Float64Array,
): (x: Float64Array, gradient: Float64Array) => number {
  const { logN, logD, logLoss } = data;
  const n = logN.length;
  return (x, gradient) => {
    const a = x[0]!;
    const b = x[1]!;
    const e = x[2]!;
    const alpha = x[3]!;
    const beta = x[4]!;
    let f = 0;
    let ga = 0;
    let gb = 0;
    let ge = 0;
    let gal = 0;
    let gbe = 0;
    for (let i = 0; i < n; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      if (w === 0) continue;
      const lN = logN[i]!;
      const lD = logD[i]!;
      const t1 = a - alpha * lN;
      const t2 = b - beta * lD;
      // The largest term contributes exp(0) = 1: skip its exp (2 exps + 1 log per point).
      let m: number;
      let w1: number;
      let w2: number;
      let w3: number;
      if (t1 >= t2 && t1 >= e) {
        m = t1;
        w1 = 1;
        w2 = Math.exp(t2 - m);
        w3 = Math.exp(e - m);
      } else if (t2 >= e) {
        m = t2;
        w1 = Math.exp(t1 - m);
        w2 = 1;
        w3 = Math.exp(e - m);
      } else {
        m = e;
        w1 = Math.exp(t1 - m);
        w2 = Math.exp(t2 - m);
        w3 = 1;
      }
      const s = w1 + w2 + w3;
      const r = m + Math.log(s) - logLoss[i]!;
      let h: number;
      let dh: number;
      if (r > delta) {
        h = delta * (r - 0.5 * delta);
        dh = delta;
      } else if (r < -delta) {
        h = delta * (-r - 0.5 * delta);
        dh = -delta;
      } else {
        h = 0.5 * r * r;
        dh = r;
      }
      f += w * h;
      const c = (w * dh) / s;
      const c1 = c * w1;
      const c2 = c * w2;
      ga += c1;
      gb += c2;
      ge += c * w3;
      gal -= c1 * lN;
      gbe -= c2 * lD;
    }
    gradient[0] = ga * scale;
    gradient[1] = gb * scale;
    gradient[2] = ge * scale;
    gradient[3] = gal * scale;
    gradient[4] = gbe * scale;
    return f * scale;
  };
}
