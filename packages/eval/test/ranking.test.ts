// Reference numbers: spec §3.1 (ONEBench fixture, choix/I-LSR MLE) and §3.2 (FastChat-style BT/Elo), checked there.
import { createRandom } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arenaRatings } from '../src/ranking/arena-ratings.js';
import type { Battle } from '../src/ranking/battles.js';
import { fitBradleyTerry, predictWinRates } from '../src/ranking/bradley-terry.js';
import { strongComponents } from '../src/ranking/comparison-graph.js';
import { eloOnline } from '../src/ranking/elo.js';
import { fitPlackettLuce, rankingsFromScores } from '../src/ranking/plackett-luce.js';
import { robustnessCurve } from '../src/ranking/robustness-curve.js';
import { meanScores, toPairwise } from '../src/ranking/to-pairwise.js';
import { kendallTau } from '../src/tests/kendall-tau.js';
import { expectAllClose, expectClose } from './helpers.js';

const N = Number.NaN;
const onebench = [
  [1, 1, 0, 1, N, 1, 0, 1],
  [1, 0, 0, 1, 1, N, 0, 0],
  [0, 1, N, 0, 1, 0, 1, 0],
  [0, 0, 0, N, 0, 1, 0, N],
];

describe('ONEBench fixture', () => {
  it('wins matrix with ties both ways', () => {
    expect(toPairwise(onebench)).toEqual([
      [0, 6, 5, 5],
      [4, 0, 4, 5],
      [2, 4, 0, 4],
      [3, 3, 2, 0],
    ]);
  });
  it('BT log-strengths (mean zero) [0.443297, 0.025949, −0.057585, −0.411661]', () => {
    const fit = fitBradleyTerry(toPairwise(onebench));
    expect(fit.converged).toBe(true);
    expectAllClose(fit.logStrengths, [0.443297, 0.025949, -0.057585, -0.411661], 5e-7);
  });
  it('MM and Newton agree (both are the MLE)', () => {
    const wins = toPairwise(onebench);
    expectAllClose(
      fitBradleyTerry(wins, { algorithm: 'mm' }).logStrengths,
      fitBradleyTerry(wins).logStrengths,
      1e-10,
    );
    const regularized = fitBradleyTerry(wins, { algorithm: 'mm', alpha: 0.3 }).logStrengths;
    expectAllClose(fitBradleyTerry(wins, { alpha: 0.3 }).logStrengths, regularized, 1e-10);
  });
  it('mean scores and Kendall τ-b(strengths, means) = 0.912871', () => {
    const means = meanScores(onebench);
    expectAllClose(means, [0.714286, 0.428571, 0.428571, 0.166667], 5e-7);
    const fit = fitBradleyTerry(toPairwise(onebench));
    expectClose(kendallTau(fit.logStrengths, means).statistic, 0.912871, 5e-7);
  });
  it('PL with all-pairs events equals BT on the same pairwise data', () => {
    const wins = toPairwise(onebench);
    const rankings = [];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) for (let t = 0; t < wins[i]![j]!; t++) rankings.push([[i], [j]]);
    const pl = fitPlackettLuce(rankings, 4);
    expectAllClose(pl.logStrengths, fitBradleyTerry(wins).logStrengths, 1e-9);
  });
});

describe('Bradley–Terry / Elo (Chatbot Arena)', () => {
  const W = [
    [0, 7, 8],
    [3, 0, 6],
    [2, 4, 0],
  ];
  it('log-strengths, Elo scale and win probability', () => {
    const s = fitBradleyTerry(W).logStrengths;
    expectAllClose(s, [0.74057, -0.149102, -0.591468], 5e-7);
    expectAllClose(
      s.map((v) => 1000 + (400 * v) / Math.LN10),
      [1128.65, 974.098, 897.252],
      5e-4,
    );
    expectClose(predictWinRates(s)[0]![1]!, 0.708823, 5e-7);
  });
  it('arenaRatings (BT) reproduces the Elo-scale numbers from battles; ties count half', () => {
    const battles: Battle[] = [];
    const names = ['m0', 'm1', 'm2'];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let t = 0; t < W[i]![j]!; t++) battles.push({ a: names[i]!, b: names[j]!, winner: 'a' });
    const r = arenaRatings(battles, { rounds: 0 });
    expectAllClose(
      r.map((x) => x.rating),
      [1128.65, 974.098, 897.252],
      5e-4,
    );
    // Replacing one decisive m0>m1 and one m1>m0 battle by two ties leaves the counts unchanged.
    const withTies: Battle[] = [...battles];
    withTies.splice(
      withTies.findIndex((b) => b.a === 'm0' && b.b === 'm1'),
      1,
    );
    withTies.splice(
      withTies.findIndex((b) => b.a === 'm1' && b.b === 'm0'),
      1,
    );
    withTies.push({ a: 'm0', b: 'm1', winner: 'tie' }, { a: 'm1', b: 'm0', winner: 'tie' });
    expectAllClose(
      arenaRatings(withTies, { rounds: 0 }).map((x) => x.rating),
      r.map((x) => x.rating),
      1e-9,
    );
    const anchored = arenaRatings(battles, { rounds: 0, anchor: { model: 'm2', rating: 1114 } });
    expectClose(anchored[2]!.rating, 1114, 1e-9);
    expectClose(anchored[0]!.rating - anchored[2]!.rating, r[0]!.rating - r[2]!.rating, 1e-9);
  });
  it('online Elo K=4: A 999.931324, B 1000.022826, C 1000.045850', () => {
    const r = eloOnline([
      { a: 'A', b: 'B', winner: 'a' },
      { a: 'A', b: 'C', winner: 'a' },
      { a: 'B', b: 'C', winner: 'tie' },
      { a: 'C', b: 'A', winner: 'a' },
      { a: 'B', b: 'A', winner: 'a' },
    ]);
    expectClose(r.A!, 999.931324, 5e-7);
    expectClose(r.B!, 1000.022826, 5e-7);
    expectClose(r.C!, 1000.04585, 5e-7);
  });
  it('bootstrap CIs are seeded and bracket the full-data rating', () => {
    const battles = simulateBattles([1.0, 0.3, -0.2, -1.1], 600, 11);
    const a = arenaRatings(battles, { rounds: 100, seed: 5 });
    const b = arenaRatings(battles, { rounds: 100, seed: 5 });
    expect(a).toEqual(b);
    for (const r of a) {
      expect(r.low!).toBeLessThan(r.rating);
      expect(r.high!).toBeGreaterThan(r.rating);
    }
    const e = arenaRatings(battles, { method: 'elo', rounds: 50, seed: 1 });
    expect(e.length).toBe(4);
    expect(e.every((r) => r.low! <= r.median! && r.median! <= r.high!)).toBe(true);
  });
});

function simulateBattles(strengths: number[], count: number, seed: number): Battle[] {
  const rng = createRandom(seed, 'test', 'battles');
  const out: Battle[] = [];
  for (let t = 0; t < count; t++) {
    const i = rng.integer(3 * t, strengths.length);
    let j = rng.integer(3 * t + 1, strengths.length - 1);
    if (j >= i) j++;
    const p = 1 / (1 + Math.exp(strengths[j]! - strengths[i]!));
    out.push({ a: `m${i}`, b: `m${j}`, winner: rng.uniform(3 * t + 2) < p ? 'a' : 'b' });
  }
  return out;
}

describe('recovery of a known ranking (property)', () => {
  it('BT recovers the order of well-separated strengths from simulated comparisons', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 3, max: 6 }), (seed, n) => {
        // Strengths spaced 0.8 apart; 400 comparisons per pair make an inversion very unlikely (< 1e-4).
        const truth = Array.from({ length: n }, (_, i) => -0.8 * i);
        const rng = createRandom(seed, 'bt-recovery');
        const wins = Array.from({ length: n }, () => new Array<number>(n).fill(0));
        let d = 0;
        for (let i = 0; i < n; i++)
          for (let j = i + 1; j < n; j++)
            for (let t = 0; t < 400; t++) {
              if (rng.uniform(d++) < 1 / (1 + Math.exp(truth[j]! - truth[i]!))) wins[i]![j]!++;
              else wins[j]![i]!++;
            }
        const s = fitBradleyTerry(wins).logStrengths;
        for (let i = 1; i < n; i++) expect(s[i]!).toBeLessThan(s[i - 1]!);
      }),
      { numRuns: 20 },
    );
  });
  it('PL recovers the ranking from sparse sample-level scores (50% missing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const n = 6;
        const samples = 3000;
        const truth = Array.from({ length: n }, (_, i) => 1.5 - 0.6 * i);
        const rng = createRandom(seed, 'pl-recovery');
        // Gumbel-max sampling: sorted utilities θ_i + Gumbel give an exact Plackett–Luce ranking.
        const scores = Array.from({ length: n }, () => new Float64Array(samples));
        let d = 0;
        for (let s = 0; s < samples; s++) {
          for (let i = 0; i < n; i++) {
            const g = -Math.log(-Math.log(1 - rng.uniform(d++)));
            scores[i]![s] = rng.uniform(d++) < 0.5 ? Number.NaN : truth[i]! + g;
          }
        }
        const fit = fitPlackettLuce(rankingsFromScores(scores), n, { tolerance: 1e-9 });
        for (let i = 1; i < n; i++) expect(fit.logStrengths[i]!).toBeLessThan(fit.logStrengths[i - 1]!);
        // Gaps of 0.6 recovered within 0.2.
        for (let i = 1; i < n; i++) expectClose(fit.logStrengths[i - 1]! - fit.logStrengths[i]!, 0.6, 0.2);
      }),
      { numRuns: 5 },
    );
  });
});

describe('disconnected comparison graph', () => {
  const wins = [
    [0, 3, 0, 0],
    [2, 0, 0, 0],
    [0, 0, 0, 1],
    [0, 0, 4, 0],
  ];
  it('BT without alpha gives a clear E_DISCONNECTED error naming the groups', () => {
    expect(() => fitBradleyTerry(wins, {}, ['a', 'b', 'c', 'd'])).toThrow(
      /not strongly connected \(2 groups: \{a, b\} \{c, d\}\).*alpha/,
    );
    try {
      fitBradleyTerry(wins);
    } catch (error) {
      expect((error as { code: string }).code).toBe('E_DISCONNECTED');
    }
  });
  it('a model that never loses is also rejected, but alpha > 0 gives finite strengths', () => {
    const unbeaten = [
      [0, 5],
      [0, 0],
    ];
    expect(() => fitBradleyTerry(unbeaten)).toThrow(/not strongly connected/);
    const fit = fitBradleyTerry(unbeaten, { alpha: 0.5 });
    // MLE with 0.5 pseudo-wins each way: π₀/π₁ = 5.5/0.5.
    expectClose(fit.logStrengths[0]! - fit.logStrengths[1]!, Math.log(11), 1e-9);
    expect(() => fitPlackettLuce([[[0], [1]]], 3)).toThrow(/not strongly connected/);
    expect(fitPlackettLuce([[[0], [1]]], 3, { alpha: 0.1 }).logStrengths.every(Number.isFinite)).toBe(true);
  });
  it('strongComponents on a cycle plus a sink', () => {
    const adj = [[1], [2], [0, 3], []];
    expect(strongComponents(4, (i) => adj[i]!).sort((a, b) => a[0]! - b[0]!)).toEqual([[0, 1, 2], [3]]);
  });
});

describe('robustnessCurve', () => {
  it('τ = 1 at f = 0 on data whose PL order equals the mean order, degrades gracefully, seeded', () => {
    const n = 5;
    const m = 400;
    const rng = createRandom(9, 'robust');
    const scores = Array.from({ length: n }, (_, i) =>
      Float64Array.from({ length: m }, (_, s) => (rng.uniform(i * m + s) < 0.85 - 0.15 * i ? 1 : 0)),
    );
    const a = robustnessCurve(scores, { fractions: [0, 0.5, 0.9], seeds: [0, 1] });
    const b = robustnessCurve(scores, { fractions: [0, 0.5, 0.9], seeds: [0, 1] });
    expect(a).toEqual(b);
    expect(a.filter((p) => p.fraction === 0).every((p) => p.tau === 1)).toBe(true);
    expect(a.filter((p) => p.fraction === 0.5).every((p) => p.tau >= 0.6)).toBe(true);
    expect(a.every((p) => p.tau >= -1 && p.tau <= 1)).toBe(true);
    const bt = robustnessCurve(scores, { fractions: [0.5], seeds: [0], method: 'bradley-terry' });
    expect(bt[0]!.tau).toBeGreaterThanOrEqual(0.6);
  });
});

describe('Plackett–Luce MLE stationarity (independent check of the MM fixed point)', () => {
  it('score equations w_i = Σ_events∋i d_e·γ_i/S_e hold at the fit on sparse tied data', () => {
    const n = 8;
    const m = 2000;
    const rng = createRandom(4, 'pl-score');
    const scores = Array.from({ length: n }, (_, i) =>
      Float64Array.from({ length: m }, (_, s) =>
        rng.uniform(2 * (i * m + s)) < 0.6
          ? Number.NaN
          : Math.floor(rng.uniform(2 * (i * m + s) + 1) * (3 + i / 3)),
      ),
    );
    const rankings = rankingsFromScores(scores);
    const fit = fitPlackettLuce(rankings, n, { tolerance: 1e-13 });
    const g = fit.logStrengths.map(Math.exp);
    const grad = new Array<number>(n).fill(0);
    for (const r of rankings) {
      for (let t = 0; t < r.length - 1; t++) {
        const set = r.slice(t).flat();
        const S = set.reduce((s, i) => s + g[i]!, 0);
        for (const i of r[t]!) grad[i]! += 1;
        for (const i of set) grad[i]! -= (r[t]!.length * g[i]!) / S;
      }
    }
    for (const v of grad) expect(Math.abs(v)).toBeLessThan(1e-6);
  });
});
