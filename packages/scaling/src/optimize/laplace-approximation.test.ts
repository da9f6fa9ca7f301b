import { createMatrix, createRandom, inverse, matmul, transpose } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceHessian } from '../internal/numerical-hessian.js';
import { laplaceApproximation, laplaceDraw } from './laplace-approximation.js';

/** y = a + b·ln x + c/ln(x+1) on x = 1..30: linear in (a, b, c). */
function linearCurveModel(sigma: number) {
  const n = 30;
  const X = new Float64Array(n * 3);
  const y = new Float64Array(n);
  const truth = [0.8, 0.05, -0.3];
  const noise = createRandom(11, 'linear-model-noise');
  for (let i = 0; i < n; i++) {
    const x = i + 1;
    const row = [1, Math.log(x), 1 / Math.log(x + 1)];
    for (let j = 0; j < 3; j++) X[i * 3 + j] = row[j]!;
    y[i] = row[0]! * truth[0]! + row[1]! * truth[1]! + row[2]! * truth[2]! + sigma * noise.normal(i);
  }
  // Flat prior, Gaussian noise with known sigma: log posterior = −½‖y − Xβ‖²/σ² (+ const), exactly Gaussian.
  const logPosterior = (beta: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - X[i * 3]! * beta[0]! - X[i * 3 + 1]! * beta[1]! - X[i * 3 + 2]! * beta[2]!;
      s += r * r;
    }
    return (-0.5 * s) / (sigma * sigma);
  };
  return { X: createMatrix(n, 3, X), truth, logPosterior };
}

describe('laplaceApproximation', () => {
  it('recovers (XᵀX)⁻¹σ² on an exactly Gaussian posterior (linear-in-parameters curve, flat prior)', () => {
    const sigma = 0.02;
    const { X, truth, logPosterior } = linearCurveModel(sigma);
    const approx = laplaceApproximation(logPosterior, truth);
    // Reference: Gauss–Jordan inverse of XᵀX (a different code path from the Cholesky solve under test).
    const xtx = matmul(transpose(X), X);
    const analytic = inverse(xtx).data.map((v) => v * sigma * sigma);
    expect(approx.jitter).toBe(0);
    for (let k = 0; k < 9; k++) {
      expect(Math.abs(approx.covariance.data[k]! - analytic[k]!)).toBeLessThanOrEqual(
        1e-6 * Math.abs(analytic[k]!),
      );
    }
    expect(Array.from(approx.mean)).toEqual(truth);
  });

  it('adds the smallest ladder jitter that makes Cholesky succeed when the Hessian is indefinite', () => {
    // −log density = ½(x² − 0.003·y²): Hessian diag(1, −0.003); s = 1, so the ladder is 0, 1e-10, …, 1e-3
    // (all fail: 1e-3 − 0.003 < 0), then 1e-2, which succeeds. Covariance diag(1/1.01, 1/0.007) by hand.
    const approx = laplaceApproximation((p) => -0.5 * (p[0]! ** 2 - 0.003 * p[1]! ** 2), [0, 0]);
    expect(approx.jitter).toBeCloseTo(0.01, 15);
    expect(approx.hessian.data[3]!).toBeCloseTo(-0.003, 8);
    expect(approx.covariance.data[0]!).toBeCloseTo(1 / 1.01, 8);
    expect(approx.covariance.data[3]!).toBeCloseTo(1 / 0.007, 5);
    expect(approx.covariance.data[1]!).toBeCloseTo(0, 8);
  });

  it('rejects a non-finite Hessian with E_NUMERIC', () => {
    expect(() => laplaceApproximation((p) => (p[0]! > 0 ? Number.NEGATIVE_INFINITY : 0), [0])).toThrow(
      /not finite/,
    );
  });

  it('draws have the Laplace covariance (Monte-Carlo bound) and repeat bit for bit per seed', () => {
    const { truth, logPosterior } = linearCurveModel(0.02);
    const approx = laplaceApproximation(logPosterior, truth);
    const count = 20_000;
    const draws = Array.from({ length: count }, (_, k) => laplaceDraw(approx, createRandom(5, 'draws'), k));
    const C = approx.covariance.data;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (const d of draws) s += (d[i]! - truth[i]!) * (d[j]! - truth[j]!);
        // SE of a sample covariance with known mean: sqrt((Σii·Σjj + Σij²)/N); allow 4 SE.
        const se = Math.sqrt((C[i * 3 + i]! * C[j * 3 + j]! + C[i * 3 + j]! ** 2) / count);
        expect(Math.abs(s / count - C[i * 3 + j]!)).toBeLessThan(4 * se);
      }
    }
    expect(laplaceDraw(approx, createRandom(5, 'draws'), 17)).toEqual(draws[17]);
    expect(laplaceDraw(approx, createRandom(6, 'draws'), 17)).not.toEqual(draws[17]);
  });
});

describe('finiteDifferenceHessian', () => {
  it('matches the analytic Hessian of a hand-worked function, with a coordinate of magnitude 1e3', () => {
    // f(x, y, z, w) = x²y + x·sin z + e^(yz) + x·ln w. By hand:
    // f_xx = 2y, f_xy = 2x, f_xz = cos z, f_xw = 1/w, f_yy = z²e^(yz), f_yz = e^(yz)(1 + yz),
    // f_zz = −x sin z + y²e^(yz), f_ww = −x/w², the rest 0.
    const f = (p: Float64Array) =>
      p[0]! ** 2 * p[1]! + p[0]! * Math.sin(p[2]!) + Math.exp(p[1]! * p[2]!) + p[0]! * Math.log(p[3]!);
    const [x, y, z, w] = [1.3, -0.7, 2.1, 1000];
    const e = Math.exp(y * z);
    const analytic = [
      [2 * y, 2 * x, Math.cos(z), 1 / w],
      [2 * x, z * z * e, e * (1 + y * z), 0],
      [Math.cos(z), e * (1 + y * z), -x * Math.sin(z) + y * y * e, 0],
      [1 / w, 0, 0, -x / (w * w)],
    ];
    const h = finiteDifferenceHessian(f, [x, y, z, w]);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const a = analytic[i]![j]!;
        expect(h[i * 4 + j]!).toBe(h[j * 4 + i]!);
        // Relative 1e-6 for O(1) entries; the tiny w entries (1e-3, −1.3e-6) to 1e-6 of their size as well.
        expect(Math.abs(h[i * 4 + j]! - a)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(a), 1e-6));
      }
    }
  });
});
