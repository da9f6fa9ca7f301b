import { createMatrix, createRandom, svd } from '@modelsmith/core-tensor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combineAdapters,
  compeftCompress,
  compressAdapter,
  darePrune,
  disjointMerge,
  floatTensor,
  getPeftModel,
  type LoraAdapter,
  loraDeltaWeight,
  magnitudePrune,
  moduleLoraParameters,
  parseLoraConfig,
} from '../src/index.js';
import { cpuRuntime, lcg, maxAbsDiff, tinyMlp } from './helpers.js';

function randomAdapter(seed: number, r: number, alpha: number, rslora = false): LoraAdapter {
  const config = parseLoraConfig({
    peft_type: 'LORA',
    r,
    lora_alpha: alpha,
    use_rslora: rslora,
    target_modules: ['fc1', 'fc2'],
  });
  const modules = new Map([
    [
      'fc1',
      {
        kind: 'linear' as const,
        loraA: floatTensor([r, 6], lcg(r * 6, seed)),
        loraB: floatTensor([8, r], lcg(8 * r, seed + 1)),
      },
    ],
    [
      'fc2',
      {
        kind: 'linear' as const,
        loraA: floatTensor([r, 8], lcg(r * 8, seed + 2)),
        loraB: floatTensor([4, r], lcg(4 * r, seed + 3)),
      },
    ],
  ]);
  return { config, modules, savedModules: new Map() };
}

function delta(adapter: LoraAdapter, path: string): Float32Array {
  return loraDeltaWeight(adapter.modules.get(path)!, moduleLoraParameters(path, adapter.config).scaling);
}

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

describe('combineAdapters', () => {
  const a1 = randomAdapter(1, 2, 4);
  const a2 = randomAdapter(10, 3, 3, true);
  const weights = [0.7, -0.4];

  it('cat is exact: ΔW equals Σ wᵢ·ΔWᵢ, rank = Σ rᵢ, scaling 1', () => {
    const { adapter } = combineAdapters([a1, a2], { weights, method: 'cat' });
    for (const path of ['fc1', 'fc2']) {
      expect(adapter.modules.get(path)!.loraA.shape[0]).toBe(5);
      const expected = delta(a1, path).map((v, i) => 0.7 * v - 0.4 * delta(a2, path)[i]!);
      expect(maxAbsDiff(delta(adapter, path), expected)).toBeLessThan(1e-6);
    }
    expect(moduleLoraParameters('fc1', adapter.config).scaling).toBe(1);
  });

  it('cat equals applying both adapters in sequence on a tfjs model', () => {
    const x = tf.tensor2d(lcg(5 * 6, 7), [5, 6]);
    const both = getPeftModel(
      runtime,
      tinyMlp(),
      { r: 1, target_modules: ['fc1'] },
      { adapterName: 'scratch' },
    );
    both.loadAdapter(a1, 'a1');
    both.loadAdapter(a2, 'a2');
    both.setAdapter(['a1', 'a2']);
    const sequential = (both.model.predict(x) as tf.Tensor).dataSync();
    const { adapter } = combineAdapters([a1, a2], { weights: [1, 1], method: 'cat' });
    const cat = getPeftModel(
      runtime,
      tinyMlp(),
      { r: 1, target_modules: ['fc1'] },
      { adapterName: 'scratch' },
    );
    cat.loadAdapter(adapter, 'cat');
    cat.setAdapter('cat');
    expect(maxAbsDiff((cat.model.predict(x) as tf.Tensor).dataSync(), sequential)).toBeLessThan(1e-5);
  });

  it('svd: error equals the tail singular mass of the combined ΔW (Eckart–Young), exact at full rank', () => {
    for (const rank of [1, 2, 4]) {
      const { adapter, report } = combineAdapters([a1, a2], { weights, method: 'svd', svdRank: rank });
      for (const path of ['fc1', 'fc2']) {
        const target = delta(a1, path).map((v, i) => 0.7 * v - 0.4 * delta(a2, path)[i]!);
        const rows = path === 'fc1' ? 8 : 4;
        const s = svd(createMatrix(rows, target.length / rows, Float64Array.from(target)), {
          economy: true,
        }).s;
        const tail = Math.sqrt(Array.from(s.slice(rank)).reduce((sum, v) => sum + v * v, 0));
        const got = delta(adapter, path);
        const error = Math.sqrt(target.reduce((sum, v, i) => sum + (v - got[i]!) ** 2, 0));
        expect(error).toBeLessThanOrEqual(tail * (1 + 1e-4) + 1e-5);
        expect(report.modules.find((m) => m.path === path)!.tailMass).toBeCloseTo(tail, 4);
      }
    }
    const full = combineAdapters([a1, a2], { weights, method: 'linear', svdRank: 5 });
    for (const m of full.report.modules) expect(m.error).toBeLessThan(1e-5);
  });

  it('every combination type runs and yields a loadable adapter; bad input is named', () => {
    for (const method of [
      'ties',
      'ties_svd',
      'dare_linear',
      'dare_linear_svd',
      'dare_ties',
      'dare_ties_svd',
      'magnitude_prune',
      'magnitude_prune_svd',
    ] as const) {
      const { adapter } = combineAdapters([a1, a2], { weights, method, density: 0.5, seed: 3 });
      expect(adapter.modules.get('fc1')!.loraA.shape).toEqual([3, 6]);
    }
    expect(() => combineAdapters([a1, a2], { weights: [1], method: 'svd' })).toThrow(
      /got 1 weights for 2 adapters/,
    );
    const wide = randomAdapter(1, 2, 4);
    const bad = {
      ...wide,
      modules: new Map([
        [
          'fc1',
          {
            kind: 'linear' as const,
            loraA: floatTensor([2, 7], lcg(14, 1)),
            loraB: floatTensor([8, 2], lcg(16, 2)),
          },
        ],
      ]),
    };
    expect(() => combineAdapters([a1, bad], { weights: [1, 1] })).toThrow(
      /module "fc1": adapter 1 has a linear delta of shape \[8, 7\]/,
    );
  });
});

describe('merge rules (reference arithmetic worked by hand)', () => {
  it('magnitude prune keeps the top density fraction by |τ|', () => {
    expect([...magnitudePrune(Float32Array.of(1, -4, 2, -3), 0.5)]).toEqual([0, -4, 0, -3]);
  });

  it('TIES: total vs frequency sign election and the disjoint mean', () => {
    const tasks = [Float32Array.of(1, -2, 3, 0.5), Float32Array.of(-1, -1, 4, -0.1)];
    // sums: 0 (→ +), -3, 7, 0.4 → means of agreeing entries: 1, -1.5, 3.5, 0.5
    expect([...disjointMerge(tasks, 'total')]).toEqual([1, -1.5, 3.5, 0.5]);
    const split = [Float32Array.of(5), Float32Array.of(-1), Float32Array.of(-1)];
    expect([...disjointMerge(split, 'total')]).toEqual([5]); // Σ = 3 > 0
    expect([...disjointMerge(split, 'frequency')]).toEqual([-1]); // two of three negative
  });

  it('DARE keeps the expectation (Monte Carlo, 4 standard errors) and is reproducible by seed', () => {
    const n = 100_000;
    const ones = new Float32Array(n).fill(1);
    const density = 0.3;
    const pruned = darePrune(ones, density, createRandom(5, 'dare'));
    const mean = pruned.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt((1 - density) / (density * n)));
    expect(darePrune(ones, density, createRandom(5, 'dare'))).toEqual(pruned);
  });
});

describe('ComPEFT', () => {
  it('ternarises the top-k with α = γ·std(τ) over the dense τ (or the pruned τ)', () => {
    // τ = [1, -4, 2, -3]: mean -1, variance (4 + 9 + 9 + 4)/4 = 6.5.
    const out = compeftCompress(Float32Array.of(1, -4, 2, -3), { density: 0.5 });
    expect(out.alpha).toBeCloseTo(Math.sqrt(6.5), 6);
    expect([...out.values]).toEqual([0, -Math.fround(Math.sqrt(6.5)), 0, -Math.fround(Math.sqrt(6.5))]);
    // pruned [0, -4, 0, -3]: mean -1.75, variance (3.0625 + 5.0625 + 3.0625 + 1.5625)/4 = 3.1875.
    expect(
      compeftCompress(Float32Array.of(1, -4, 2, -3), { density: 0.5, stdOf: 'pruned', gamma: 2 }).alpha,
    ).toBeCloseTo(2 * Math.sqrt(3.1875), 6);
    expect(out.compressedBits).toBe(4 + 2 + 32);
  });

  it('reports the compression ratio 32n / (n + k + 32·tensors) on a synthetic adapter', () => {
    const adapter = randomAdapter(3, 4, 8);
    const { adapter: compressed, report } = compressAdapter(adapter, { density: 0.25 });
    const n = 4 * 6 + 8 * 4 + 4 * 8 + 4 * 4;
    const k = [24, 32, 32, 16].reduce((s, size) => s + Math.round(0.25 * size), 0);
    expect(report.parameters).toBe(n);
    expect(report.kept).toBe(k);
    expect(report.compressionRatio).toBeCloseTo((32 * n) / (n + k + 32 * 4), 10);
    const values = new Set(Array.from(compressed.modules.get('fc1')!.loraA.data, Math.abs));
    expect(values.size).toBe(2); // {0, α}
  });
});

describe('DARE reference arithmetic on a fixed seed', () => {
  it('equals core-tensor’s Bernoulli mask for the same key, survivors rescaled by 1/density', async () => {
    const { bernoulliMask } = await import('@modelsmith/core-tensor');
    const values = Float32Array.of(0.5, -1, 2, 4, -3, 0.25, 1, -2);
    const mask = bernoulliMask(createRandom(11, 'dare', 'x'), 0.5, values.length);
    const expected = Array.from(values, (v, i) => (mask[i] ? v / 0.5 : 0));
    expect(Array.from(darePrune(values, 0.5, createRandom(11, 'dare', 'x')))).toEqual(expected);
  });
});
