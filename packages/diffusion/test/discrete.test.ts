import { createRandom } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  CategoricalTable,
  categoricalProbabilities,
  firstHittingSample,
  MASK,
  type MaskedDiffusionModel,
  maskedAncestralSample,
  sampleCategorical,
} from '../src/index.js';

const V = 3;
const L = 3;

/** A model with exact conditionals of a joint over V^L sequences, by enumeration. */
function exactModel(joint: (seq: number[]) => number): MaskedDiffusionModel {
  const seqs: number[][] = [];
  for (let i = 0; i < V ** L; i++) seqs.push([Math.floor(i / 9) % 3, Math.floor(i / 3) % 3, i % 3]);
  return {
    vocabSize: V,
    length: L,
    logits(tokens) {
      const out = new Float64Array(L * V);
      for (const s of seqs) {
        if (s.some((v, i) => tokens[i] !== MASK && tokens[i] !== v)) continue;
        const p = joint(s);
        for (let i = 0; i < L; i++) out[i * V + s[i]!] = out[i * V + s[i]!]! + p;
      }
      return out.map((v) => Math.log(v));
    },
  };
}

const P1 = [0.5, 0.3, 0.2];
const T = [
  [0.8, 0.15, 0.05],
  [0.1, 0.6, 0.3],
  [0.3, 0.3, 0.4],
];
const markov = (s: number[]) => P1[s[0]!]! * T[s[0]!]![s[1]!]! * T[s[1]!]![s[2]!]!;
const product = (s: number[]) => P1[s[0]!]! * [0.2, 0.2, 0.6][s[1]!]! * [0.7, 0.2, 0.1][s[2]!]!;

/** Pearson chi-square of counts over the 27 sequences; df = 26, 99.9% critical value 54.05. */
function chiSquare(counts: number[], joint: (s: number[]) => number, n: number): number {
  let chi = 0;
  for (let i = 0; i < 27; i++) {
    const e = n * joint([Math.floor(i / 9) % 3, Math.floor(i / 3) % 3, i % 3]);
    chi += (counts[i]! - e) ** 2 / e;
  }
  return chi;
}

describe('masked diffusion samplers (spec §6.2)', () => {
  const n = 6000;

  it('first-hitting sampler reproduces a Markov-chain joint (chi-square, df 26, < 54.05)', () => {
    const model = exactModel(markov);
    const counts = new Array<number>(27).fill(0);
    for (let j = 0; j < n; j++) {
      const { tokens, nfe } = firstHittingSample(model, { seed: 1, sampleIndex: j });
      expect(nfe).toBe(L);
      counts[tokens[0]! * 9 + tokens[1]! * 3 + tokens[2]!]!++;
    }
    expect(chiSquare(counts, markov, n)).toBeLessThan(54.05);
  });

  it('ancestral sampler reproduces a product joint at any step count (chi-square < 54.05)', () => {
    const model = exactModel(product);
    const counts = new Array<number>(27).fill(0);
    for (let j = 0; j < n; j++) {
      const { tokens } = maskedAncestralSample(model, 8, { seed: 2, sampleIndex: j });
      counts[tokens[0]! * 9 + tokens[1]! * 3 + tokens[2]!]!++;
    }
    expect(chiSquare(counts, product, n)).toBeLessThan(54.05);
  });

  it('ancestral sampler reproduces the Markov-chain joint with many steps', () => {
    const model = exactModel(markov);
    const counts = new Array<number>(27).fill(0);
    for (let j = 0; j < n; j++) {
      const { tokens } = maskedAncestralSample(model, 400, { seed: 3, sampleIndex: j });
      counts[tokens[0]! * 9 + tokens[1]! * 3 + tokens[2]!]!++;
    }
    expect(chiSquare(counts, markov, n)).toBeLessThan(54.05);
  });

  it('FHS event times follow tau = t u^(1/n): the first reveal time has CDF s^L (KS at 1%)', () => {
    const model = exactModel(product);
    const m = 4000;
    const first = Array.from({ length: m }, (_, j) =>
      Math.max(...firstHittingSample(model, { seed: 4, sampleIndex: j }).times),
    ).sort((a, b) => a - b);
    let ks = 0;
    first.forEach((v, j) => {
      const cdf = v ** L;
      ks = Math.max(ks, Math.abs(cdf - j / m), Math.abs(cdf - (j + 1) / m));
    });
    expect(ks).toBeLessThan(1.63 / Math.sqrt(m));
  });

  it('parallel FHS reveals k tokens per model call', () => {
    const r = firstHittingSample(exactModel(product), { seed: 5, tokensPerStep: 2 });
    expect(r.nfe).toBe(2);
    expect(Array.from(r.tokens).every((v) => v >= 0 && v < V)).toBe(true);
  });
});

describe('float64 categorical sampling', () => {
  it('temperature and top-p by hand', () => {
    const p = categoricalProbabilities([Math.log(0.5), Math.log(0.3), Math.log(0.2)], { topP: 0.7 });
    expect(Array.from(p).map((v) => +v.toFixed(12))).toEqual([0.625, 0.375, 0]);
    const q = categoricalProbabilities([Math.log(0.5), Math.log(0.3), Math.log(0.2)], { temperature: 0.5 });
    expect(q[0]).toBeCloseTo(0.25 / 0.38, 12);
    expect(sampleCategorical([0.5, 0.3, 0.2], 0.79)).toBe(1);
    expect(sampleCategorical([0.5, 0.3, 0.2], 0.81)).toBe(2);
  });

  it('keeps the Zipf tail under a 1 - 1e-3 mask mass (spec §6.2 categorical precision)', () => {
    // Category 0 = "stay masked" with mass b = 1 - 1e-3; tokens 1..50000 share 1e-3 as Zipf(1).
    const vocab = 50_000;
    const w = new Float64Array(vocab + 1);
    let h = 0;
    for (let i = 1; i <= vocab; i++) h += 1 / i;
    w[0] = 1 - 1e-3;
    for (let i = 1; i <= vocab; i++) w[i] = 1e-3 / (i * h);
    // Tail = tokens with per-draw probability < 2^-24 b: a float32 exponential race wins them with
    // probability a/b · x/(e^x - 1), x = 2^-24 b/a, i.e. suppresses them (spec §4.8).
    const cut = 2 ** -24 * w[0]!;
    let tailMass = 0;
    let tailF32 = 0;
    let tokenF32 = 0;
    for (let i = 1; i <= vocab; i++) {
      const a = w[i]!;
      const x = (2 ** -24 * w[0]!) / a;
      const f32 = (a / w[0]!) * (x / Math.expm1(x));
      tokenF32 += f32;
      if (a < cut) {
        tailMass += a;
        tailF32 += f32;
      }
    }
    const exactTail = tailMass / 1e-3;
    const float32Tail = tailF32 / tokenF32;
    const table = new CategoricalTable(w);
    const rng = createRandom(17, 'zipf');
    let tokens = 0;
    let tail = 0;
    const draws = 3_000_000;
    for (let j = 0; j < draws; j++) {
      const k = table.sample(rng.uniform(j));
      if (k === 0) continue;
      tokens++;
      if (w[k]! < cut) tail++;
    }
    const se = Math.sqrt((exactTail * (1 - exactTail)) / tokens);
    // Monte-Carlo tolerance: 4 standard errors of the tail fraction among ~3000 revealed tokens.
    expect(Math.abs(tail / tokens - exactTail)).toBeLessThan(4 * se);
    // The float32 path would be far outside that band.
    expect(Math.abs(float32Tail - exactTail)).toBeGreaterThan(8 * se);
  });
});
