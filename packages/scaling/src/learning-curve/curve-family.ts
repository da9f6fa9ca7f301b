/**
 * The Domhan et al. (2015) parametric learning-curve family, as in LC-PFN's `curves.py` (x = epoch >= 1).
 * LC-PFN's prior mixes the first three (pow3, ilog2, janoschek); the others are provided for ensembles and plots.
 */
export const curveFamily = {
  /** c − a·x^(−alpha) */
  pow3: (x: number, [c, a, alpha]: readonly number[]) => c! - a! * x ** -alpha!,
  /** c − a/log(x + 1) */
  ilog2: (x: number, [c, a]: readonly number[]) => c! - a! / Math.log(x + 1),
  /** a − (a − beta)·exp(−k·x^delta) */
  janoschek: (x: number, [a, beta, k, delta]: readonly number[]) =>
    a! - (a! - beta!) * Math.exp(-k! * x ** delta!),
  /** a/(1 + (x/e^b)^c) */
  logPower: (x: number, [a, b, c]: readonly number[]) => a! / (1 + (x / Math.exp(b!)) ** c!),
  /** alpha − (alpha − beta)·exp(−(kappa·x)^delta) */
  weibull: (x: number, [alpha, beta, kappa, delta]: readonly number[]) =>
    alpha! - (alpha! - beta!) * Math.exp(-((kappa! * x) ** delta!)),
  /** alpha − (alpha − beta)/(1 + (kappa·x)^delta) (Morgan–Mercer–Flodin) */
  mmf: (x: number, [alpha, beta, kappa, delta]: readonly number[]) =>
    alpha! - (alpha! - beta!) / (1 + (kappa! * x) ** delta!),
  /** exp(a + b/x + c·log x) (vapour pressure) */
  vap: (x: number, [a, b, c]: readonly number[]) => Math.exp(a! + b! / x + c! * Math.log(x)),
  /** log(a·log x + b) */
  loglogLinear: (x: number, [a, b]: readonly number[]) => Math.log(a! * Math.log(x) + b!),
  /** c − exp(−a·x^alpha + b) */
  exp4: (x: number, [c, a, b, alpha]: readonly number[]) => c! - Math.exp(-a! * x ** alpha! + b!),
  /** c − (a·x + b)^(−alpha) */
  pow4: (x: number, [c, a, b, alpha]: readonly number[]) => c! - (a! * x + b!) ** -alpha!,
  /** theta·x^eta/(kappa^eta + x^eta) (Hill, zero background) */
  hill3: (x: number, [theta, eta, kappa]: readonly number[]) =>
    (theta! * x ** eta!) / (kappa! ** eta! + x ** eta!),
} as const satisfies Record<string, (x: number, p: readonly number[]) => number>;

export type CurveName = keyof typeof curveFamily;
