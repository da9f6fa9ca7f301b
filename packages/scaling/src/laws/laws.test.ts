import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downstreamError, fitErrorLaw, fitOvertraining, overtrainingLoss } from './gadre.js';
import {
  criticalBatchSize,
  fitKaplanND,
  fitKaplanNS,
  kaplanLossN,
  kaplanLossND,
  kaplanLossNS,
} from './kaplan.js';
import {
  coverageAt,
  fitCoverage,
  fitVerifier,
  optimalVerifierBudget,
  passAtK,
  verifierAccuracy,
  verifierCeiling,
  verifierUtility,
} from './repeated-sampling.js';
import { fitStepLaw, stepLawHyperparameters } from './step-law.js';

const noise = (seed: number, key: string) => {
  const rng = createRandom(seed, key);
  let i = 0;
  return (sigma: number) => Math.exp(sigma * rng.normal(i++));
};

describe('Kaplan laws', () => {
  it('evaluates the closed forms (worked by hand)', () => {
    // (8.8e13/8.8e11)^0.076 = 100^0.076 = 10^0.152
    expect(kaplanLossN(8.8e11)).toBeCloseTo(10 ** 0.152, 12);
    // B_crit(L=1) = B* = 2e8 tokens.
    expect(criticalBatchSize(1)).toBe(2e8);
    // At D → ∞ the joint law reduces to L(N) with the joint constants.
    const c = { Nc: 6.4e13, Dc: 1.8e13, alphaN: 0.076, alphaD: 0.103 };
    expect(kaplanLossND(1e9, 1e300, c)).toBeCloseTo((6.4e13 / 1e9) ** 0.076, 10);
  });

  it('recovers L(N, D) parameters from runs with 0.5% noise', () => {
    const truth = { Nc: 6.4e13, Dc: 1.8e13, alphaN: 0.076, alphaD: 0.103 };
    const eps = noise(1, 'kaplan-nd');
    const N: number[] = [];
    const D: number[] = [];
    const L: number[] = [];
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        N.push(10 ** (6 + (3 * i) / 7));
        D.push(10 ** (7 + (4 * j) / 7));
        L.push(kaplanLossND(N.at(-1)!, D.at(-1)!, truth) * eps(0.005));
      }
    const fit = fitKaplanND(N, D, L);
    // Tolerances: exponents ±10% relative; N_c, D_c within a factor 3 (they are weakly identified).
    expect(Math.abs(fit.params.alphaN / truth.alphaN - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alphaD / truth.alphaD - 1)).toBeLessThan(0.1);
    expect(Math.abs(Math.log(fit.params.Nc / truth.Nc))).toBeLessThan(Math.log(3));
    expect(Math.abs(Math.log(fit.params.Dc / truth.Dc))).toBeLessThan(Math.log(3));
  });

  it('recovers L(N, S) parameters from runs with 0.5% noise', () => {
    const truth = { Nc: 8.8e13, alphaN: 0.076, Sc: 2.1e3, alphaS: 0.76 };
    const eps = noise(2, 'kaplan-ns');
    const N: number[] = [];
    const S: number[] = [];
    const L: number[] = [];
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        N.push(10 ** (6 + (3 * i) / 7));
        S.push(10 ** (2.5 + (3 * j) / 7));
        L.push(kaplanLossNS(N.at(-1)!, S.at(-1)!, truth) * eps(0.005));
      }
    const fit = fitKaplanNS(N, S, L);
    expect(Math.abs(fit.params.alphaS / truth.alphaS - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alphaN / truth.alphaN - 1)).toBeLessThan(0.15);
    expect(Math.abs(Math.log(fit.params.Sc / truth.Sc))).toBeLessThan(Math.log(1.5));
  });
});

describe('Gadre over-training and loss→error laws', () => {
  it('is the Chinchilla form with a shared exponent (eta = alpha/2 identity)', () => {
    // E + A N^-α + B D^-α with N = sqrt(C/(6M)), D = sqrt(CM/6) equals E + (a M^η + b M^-η) C^-η,
    // a = A 6^η, b = B 6^η, η = α/2.
    fc.assert(
      fc.property(
        fc.double({ min: 18, max: 24, noNaN: true }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (logC, logM) => {
          const C = 10 ** logC;
          const M = 10 ** logM;
          const A = 400;
          const B = 900;
          const alpha = 0.3;
          const N = Math.sqrt(C / (6 * M));
          const D = Math.sqrt((C * M) / 6);
          const direct = 1.7 + A * N ** -alpha + B * D ** -alpha;
          const eta = alpha / 2;
          const law = overtrainingLoss({ E: 1.7, a: A * 6 ** eta, b: B * 6 ** eta, eta }, C, M);
          expect(law / direct).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it('recovers the RedPajama-like over-training parameters from noisy runs', () => {
    // Truth in the paper's form from the spec's RPJ re-fit: eta = 0.136, E = 1.837.
    const truth = { E: 1.837, a: 166.2, b: 366.7, eta: 0.136 };
    const eps = noise(3, 'gadre');
    const C: number[] = [];
    const M: number[] = [];
    const L: number[] = [];
    for (const logC of [17, 18, 19, 20, 21, 22])
      for (const m of [10, 20, 40, 80, 160, 320, 640]) {
        C.push(10 ** logC);
        M.push(m);
        L.push(overtrainingLoss(truth, 10 ** logC, m) * eps(0.003));
      }
    const fit = fitOvertraining(C, M, L);
    expect(Math.abs(fit.params.eta - truth.eta)).toBeLessThan(0.015);
    expect(Math.abs(fit.params.E - truth.E)).toBeLessThan(0.05);
    // Predictions matter more than a and b: within 1% everywhere in the range.
    for (let i = 0; i < C.length; i++) {
      expect(overtrainingLoss(fit.params, C[i]!, M[i]!) / overtrainingLoss(truth, C[i]!, M[i]!)).toBeCloseTo(
        1,
        2,
      );
    }
  });

  it('recovers the error law (k, gamma, epsilon) from noisy points', () => {
    const truth = { epsilon: 0.857, k: 2.21, gamma: 0.715 };
    const rng = createRandom(4, 'error-law');
    const loss: number[] = [];
    const err: number[] = [];
    for (let i = 0; i < 30; i++) {
      const l = 2.2 + (2 * i) / 29;
      loss.push(l);
      err.push(downstreamError(truth, l) + 0.002 * rng.normal(i));
    }
    const fit = fitErrorLaw(loss, err);
    expect(Math.abs(fit.params.epsilon - truth.epsilon)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.gamma - truth.gamma)).toBeLessThan(0.15);
    expect(Math.abs(Math.log(fit.params.k / truth.k))).toBeLessThan(0.3);
  });
});

describe('Step Law', () => {
  it('matches the formulas worked by hand', () => {
    // 1.79·1e9^−0.713·1e11^0.307 = 1.6325e-3; 0.58·1e11^0.571 = 1.10771e6 (Python).
    const h = stepLawHyperparameters(1e9, 1e11);
    expect(h.learningRate).toBeCloseTo(1.632499e-3, 8);
    expect(h.batchTokens / 1.1077149e6).toBeCloseTo(1, 6);
    expect(() => stepLawHyperparameters(0, 1e11)).toThrow(/params/);
  });

  it('recovers its constants from noisy grid-search optima', () => {
    const eps = noise(5, 'step-law');
    const N: number[] = [];
    const D: number[] = [];
    const lr: number[] = [];
    const bs: number[] = [];
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        N.push(10 ** (7 + i * 0.5));
        D.push(10 ** (9 + j * 0.5));
        const h = stepLawHyperparameters(N.at(-1)!, D.at(-1)!);
        lr.push(h.learningRate * eps(0.05));
        bs.push(h.batchTokens * eps(0.05));
      }
    const fit = fitStepLaw(N, D, lr, bs);
    expect(Math.abs(fit.lrParamsExponent + 0.713)).toBeLessThan(0.03);
    expect(Math.abs(fit.lrTokensExponent - 0.307)).toBeLessThan(0.03);
    expect(Math.abs(fit.batchTokensExponent - 0.571)).toBeLessThan(0.03);
  });
});

describe('repeated sampling', () => {
  it('passAtK matches the combinatorial formula (values from Python math.comb)', () => {
    expect(passAtK(100, 7, 10)).toBeCloseTo(0.5332595856827855, 12);
    expect(passAtK(200, 3, 50)).toBeCloseTo(0.5802497335160652, 12);
    expect(passAtK(10, 0, 5)).toBe(0);
    expect(passAtK(10, 6, 5)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 14);
    expect(() => passAtK(10, 11, 1)).toThrow(/c <= n/);
  });

  it('recovers the exponentiated power law from noisy coverage', () => {
    const truth = { a: -1.8, b: -0.35 };
    const rng = createRandom(6, 'coverage');
    const k: number[] = [];
    const c: number[] = [];
    for (let i = 0; i <= 16; i++) {
      k.push(2 ** (i * 0.5));
      c.push(Math.min(0.999, coverageAt(truth, k.at(-1)!) * (1 + 0.01 * rng.normal(i))));
    }
    const fit = fitCoverage(k, c);
    expect(Math.abs(fit.a - truth.a)).toBeLessThan(0.1);
    expect(Math.abs(fit.b - truth.b)).toBeLessThan(0.03);
    expect(() => fitCoverage([1, 2], [0.5, 1])).toThrow(/must be < 1/);
  });

  it('verifier accuracy agrees with a Monte-Carlo simulation of resample-until-accepted', () => {
    const rng = createRandom(7, 'verifier');
    const pc = 0.2;
    const pfp = 0.05;
    const k = 5;
    const trials = 40_000;
    let correct = 0;
    let draw = 0;
    for (let t = 0; t < trials; t++) {
      for (let j = 0; j < k; j++) {
        const u = rng.uniform(draw++);
        if (u < pc) {
          correct++;
          break;
        }
        if (u < pc + pfp) break; // accepted but wrong
      }
    }
    const exact = verifierAccuracy(pc, pfp, k);
    // Binomial standard error ≈ 0.0024; allow 4 SE.
    expect(Math.abs(correct / trials - exact)).toBeLessThan(0.01);
    expect(verifierCeiling(pc, pfp)).toBeCloseTo(0.8, 14);
    expect(verifierAccuracy(pc, pfp, 10_000)).toBeCloseTo(0.8, 10);
  });

  it('utility has the sign of p_c − cost·p_fp and the optimal k is small for mixed problems', () => {
    expect(Math.sign(verifierUtility(0.1, 0.05, 3, 3))).toBe(-1);
    expect(Math.sign(verifierUtility(0.1, 0.05, 3, 1))).toBe(1);
    // A problem the verifier handles well saturates fast; a losing one (p_c < p_fp) keeps costing as k grows.
    // Mean utility by hand (Python): k=4 0.45330, k=5 0.45570, k=6 0.45407, so the optimum is k = 5.
    const problems = [
      { pCorrect: 0.6, pFalsePositive: 0.01 },
      { pCorrect: 0.01, pFalsePositive: 0.02 },
    ];
    const best = optimalVerifierBudget(problems, 1);
    expect(best.k).toBe(5);
    expect(best.utility).toBeCloseTo(0.4556989269, 9);
  });

  it('recovers p_c and p_fp from accuracy at several budgets', () => {
    const ks = [1, 2, 4, 8, 16, 32, 64];
    const acc = ks.map((k) => verifierAccuracy(0.15, 0.04, k));
    const fit = fitVerifier(ks, acc);
    expect(fit.pCorrect).toBeCloseTo(0.15, 4);
    expect(fit.pFalsePositive).toBeCloseTo(0.04, 4);
  });
});
