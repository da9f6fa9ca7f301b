import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alphasCumprodFromBetas,
  type DiffusionModel,
  ddim,
  discreteTimestep,
  flowDynamicShift,
  flowSchedule,
  flowShift,
  makeBetas,
  type NoiseSchedule,
  rescaleZeroTerminalSnr,
  veSchedule,
  vpCosineSchedule,
  vpDiscreteSchedule,
  vpLinearSchedule,
} from '../src/index.js';

const discrete = vpDiscreteSchedule({ betas: Array.from(makeBetas({ kind: 'linear' })) });
const schedules: [string, NoiseSchedule][] = [
  ['vp-linear', vpLinearSchedule()],
  ['vp-cosine', vpCosineSchedule()],
  ['vp-discrete', discrete],
  ['ve', veSchedule()],
  ['flow', flowSchedule()],
];

describe('schedules', () => {
  it.each(schedules)('%s: t(lambda(t)) = t to 1e-12 and lambda = log(alpha/sigma)', (_, s) => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (f) => {
        const t = s.tMin + f * (s.tMax - s.tMin);
        expect(Math.abs(s.tOfLambda(s.lambda(t)) - t)).toBeLessThanOrEqual(1e-12 * Math.max(1, t));
        expect(s.lambda(t)).toBeCloseTo(Math.log(s.alpha(t) / s.sigma(t)), 10);
        if (s.kind === 'vp') expect(s.alpha(t) ** 2 + s.sigma(t) ** 2).toBeCloseTo(1, 14);
      }),
      { numRuns: 200 },
    );
  });

  it('vp-linear log alpha matches the closed form by hand at t = 1', () => {
    // -(20 - 0.1)/4 - 0.1/2 = -5.025
    expect(vpLinearSchedule().logAlpha(1)).toBeCloseTo(-5.025, 14);
  });

  it('vp-discrete interpolates sqrt(alphas_cumprod) at t_n = (n+1)/N', () => {
    const abar = alphasCumprodFromBetas(makeBetas({ kind: 'linear' }));
    for (const n of [0, 10, 499, 999])
      expect(discrete.alpha((n + 1) / 1000)).toBeCloseTo(Math.sqrt(abar[n]!), 14);
  });

  it('discrete model input: timestep n sits at t = (n+1)/N', () => {
    for (const n of [0, 17, 999]) expect(discreteTimestep(discrete, (n + 1) / 1000)).toBeCloseTo(n, 10);
  });

  it('vp-discrete clipLambdaMin truncates the tail where lambda < -5.1', () => {
    const s = vpDiscreteSchedule({ betas: Array.from(makeBetas({ kind: 'cosine' })), clipLambdaMin: -5.1 });
    expect(s.tMax).toBeLessThan(1);
    expect(s.lambda(s.tMax)).toBeGreaterThanOrEqual(-5.1);
  });

  it('betas match the diffusers definitions worked by hand', () => {
    const lin = makeBetas({ kind: 'linear' });
    expect(lin[0]).toBe(0.0001);
    expect(lin[999]).toBeCloseTo(0.02, 15);
    const sl = makeBetas({ kind: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
    expect(sl[0]).toBeCloseTo(0.00085, 15);
    expect(sl[999]).toBeCloseTo(0.012, 15);
    const cos = makeBetas({ kind: 'cosine' });
    const f = (t: number) => Math.cos(((t + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    expect(cos[0]).toBeCloseTo(1 - f(0.001) / f(0), 15);
    expect(cos[999]).toBe(0.999);
  });

  it('zero-terminal-SNR rescale keeps the first alpha_cumprod and zeroes the last', () => {
    const betas = makeBetas({ kind: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
    const before = alphasCumprodFromBetas(betas);
    const after = alphasCumprodFromBetas(rescaleZeroTerminalSnr(betas));
    expect(after[0]).toBeCloseTo(before[0]!, 14);
    expect(after[999]).toBe(0);
    // The schedule clamps the terminal value to 2^-24 (diffusers) so lambda stays finite.
    const s = vpDiscreteSchedule({ alphasCumprod: Array.from(after) });
    expect(s.alpha(1) ** 2).toBeCloseTo(2 ** -24, 18);
  });

  it('flow shift formulas', () => {
    expect(flowShift(0.5, 3)).toBeCloseTo(1.5 / 2, 15);
    expect(flowShift(1, 3)).toBe(1);
    expect(flowDynamicShift(0.5, 0)).toBeCloseTo(0.5, 15);
    expect(flowDynamicShift(0.5, Math.log(3))).toBeCloseTo(0.75, 15);
  });

  it('rejects bad options with the field name', () => {
    expect(() => vpLinearSchedule({ beta0: -1 })).toThrow(/beta0/);
    expect(() => vpDiscreteSchedule({ betas: [0.1, 1.5] })).toThrow(/betas\[1\]/);
  });
});

describe('zero terminal SNR with model types', () => {
  const betas = rescaleZeroTerminalSnr(
    makeBetas({ kind: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 }),
  );
  const s = vpDiscreteSchedule({ betas: Array.from(betas) });
  const times = [1, 0.5, 0.1];
  it('rejects eps models that would have to predict x0 at alpha = 0', () => {
    const eps: DiffusionModel = {
      schedule: s,
      prediction: 'eps',
      denoise: (x) => new Float64Array(x.length),
    };
    expect(() => ddim(eps, new Float64Array(4), times)).toThrow(/zero terminal SNR.*v- or x0-prediction/);
  });
  it('samples v-prediction models from t = T (alpha = 2^-12: x0 = alpha x - sigma v stays finite)', () => {
    const v: DiffusionModel = { schedule: s, prediction: 'v', denoise: (x) => x.map(() => 0.5) };
    const out = ddim(v, Float64Array.of(1, -1, 0.5, 2), times).x;
    for (const value of out) expect(Number.isFinite(value)).toBe(true);
  });
});
