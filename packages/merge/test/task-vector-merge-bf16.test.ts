import { bf16ToF32, f32ToBf16 } from '@modelsmith/core-tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskVectorBf16Kernels } from '../src/kernels/task-vector-bf16-wasm.js';
import { deltaHistogramScalar } from '../src/methods/task-vector.js';
import {
  type TaskVectorMergeOptions,
  type TaskVectorModelParameters,
  taskVectorMerge,
} from '../src/methods/task-vector-merge.js';
import { taskVectorMergeBf16 } from '../src/methods/task-vector-merge-bf16.js';
import { TIES_DEFAULTS } from './ties-options.js';

/**
 * BF16 inputs with the awkward cases: task-vector entries that are exactly 0 (model = base), −0 bases,
 * many equal magnitudes of both signs (ties at any trim threshold), and values spread over exponents.
 */
function bf16Inputs(n: number, count: number, seed: number): { base: Uint16Array; models: Uint16Array[] } {
  let state = seed * 2654435761 + 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const baseF32 = new Float32Array(n);
  for (let i = 0; i < n; i++)
    baseF32[i] = i % 11 === 0 ? -0 : (next() - 0.5) * 2 ** Math.floor(next() * 6 - 3);
  const base = f32ToBf16(baseF32);
  const decodedBase = bf16ToF32(base);
  const models = Array.from({ length: count }, () => {
    const model = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = next();
      if (r < 0.1) model[i] = decodedBase[i]!;
      else if (r < 0.3) model[i] = decodedBase[i]! + (next() < 0.5 ? 0.125 : -0.125);
      else model[i] = decodedBase[i]! + (next() - 0.5) * 0.05;
    }
    return f32ToBf16(model);
  });
  return { base, models };
}

const optionsArbitrary = fc.record({
  method: fc.constantFrom('magnitude', 'random', 'none') as fc.Arbitrary<TaskVectorMergeOptions['method']>,
  rescale: fc.constantFrom('none', 'l1_norm', 'inverse_keep_probability', 'darex_q') as fc.Arbitrary<
    TaskVectorMergeOptions['rescale']
  >,
  darexQ: fc.constantFrom(0.3, 0.7),
  trimScope: fc.constant('tensor' as const),
  topKTies: fc.constantFrom('exact', 'keep_ties') as fc.Arbitrary<TaskVectorMergeOptions['topKTies']>,
  consensus: fc.constant('sum' as const),
  electionInput: fc.constantFrom('weighted', 'unweighted') as fc.Arbitrary<
    TaskVectorMergeOptions['electionInput']
  >,
  zeroSign: fc.constantFrom('positive', 'negative') as fc.Arbitrary<TaskVectorMergeOptions['zeroSign']>,
  normalize: fc.boolean(),
  divisor: fc.constantFrom('weight', 'count') as fc.Arbitrary<TaskVectorMergeOptions['divisor']>,
  lambda: fc.constantFrom(1, 0.7, 1.3),
});

const parameterArbitrary: fc.Arbitrary<TaskVectorModelParameters> = fc.record({
  weight: fc.constantFrom(1, 0.6, 0.35, -0.4, 0),
  density: fc.constantFrom(1, 0.9, 0.5, 0.2, 0.01, 1e-4, 0),
});

/** The general path: decode, `taskVectorMerge` in float32, encode. */
function reference(
  base: Uint16Array,
  models: readonly Uint16Array[],
  parameters: readonly TaskVectorModelParameters[],
  options: TaskVectorMergeOptions,
  offset: number,
): Uint16Array {
  const context = { name: 'layer.weight', shape: [base.length], seed: 99, offset };
  const merged = taskVectorMerge(
    bf16ToF32(base),
    models.map((m) => bf16ToF32(m)),
    parameters,
    options,
    context,
  );
  return f32ToBf16(merged);
}

/** Index of the first differing element, −1 when equal (a diff of two long arrays is unreadable anyway). */
function firstDifference(actual: Uint16Array, expected: Uint16Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  return actual.findIndex((v, i) => v !== expected[i]);
}

describe('taskVectorMergeBf16 (fused BF16 path)', () => {
  it('is available on Node 20', () => {
    expect(taskVectorBf16Kernels()).toBeDefined();
  });

  it('gives the same bits as decode → taskVectorMerge → encode (property over methods, options, lengths)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2048, max: 20_000 }),
        fc.array(parameterArbitrary, { minLength: 1, maxLength: 4 }),
        optionsArbitrary,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(0, 123_456),
        (n, parameters, options, seed, offset) => {
          const { base, models } = bf16Inputs(n, parameters.length, seed);
          const context = { name: 'layer.weight', shape: [n], seed: 99, offset };
          const fused = taskVectorMergeBf16(base, models, parameters, options, context);
          // Outside the fused set: a magnitude trim with the L1 rescale, or one that keeps nothing.
          const trimmed = parameters.filter((p) => p.density < 1);
          const magnitudeWithL1 =
            options.method === 'magnitude' && options.rescale === 'l1_norm' && trimmed.length > 0;
          const trimsAll = options.method === 'magnitude' && trimmed.some((p) => p.density <= 0);
          if (magnitudeWithL1 || trimsAll) expect(fused).toBeUndefined();
          else {
            expect(fused).toBeDefined();
            expect(firstDifference(fused!, reference(base, models, parameters, options, offset))).toBe(-1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same bits on large tensors (split between two threads; thresholds inside heavy ties)', () => {
    const n = (1 << 20) + 3;
    const { base, models } = bf16Inputs(n, 3, 77);
    const common = TIES_DEFAULTS;
    // density 0.1 puts the threshold inside the ±0.125 ties (20% of entries): the exact top-k cut-off
    // falls among thousands of equal magnitudes.
    const parameters = [
      { weight: 1, density: 0.5 },
      { weight: 0.6, density: 0.1 },
      { weight: 0.4, density: 0.35 },
    ];
    const cases: TaskVectorMergeOptions[] = [
      common,
      { ...common, topKTies: 'keep_ties', divisor: 'count' },
      { ...common, method: 'random', rescale: 'l1_norm', normalize: false },
    ];
    for (const options of cases) {
      const context = { name: 'layer.weight', shape: [n], seed: 99, offset: 0 };
      const fused = taskVectorMergeBf16(base, models, parameters, options, context);
      expect(fused).toBeDefined();
      expect(firstDifference(fused!, reference(base, models, parameters, options, 0))).toBe(-1);
    }
  });

  it('leaves settings outside its set to the general path', () => {
    const { base, models } = bf16Inputs(4096, 5, 3);
    const parameters = models.map(() => ({ weight: 1, density: 0.5 }));
    const options = TIES_DEFAULTS;
    const context = { name: 't', shape: [4096], seed: 1 };
    expect(taskVectorMergeBf16(base, models, parameters, options, context)).toBeUndefined(); // 5 models
    const four = models.slice(0, 4);
    const p4 = parameters.slice(0, 4);
    expect(taskVectorMergeBf16(base, four, p4, options, context)).toBeDefined();
    for (const change of [
      { consensus: 'count' },
      { consensus: 'none' },
      { zeroSign: 'majority' },
      { trimScope: 'row' },
      { method: 'della_magprune' },
      { method: 'magnitude_outliers' },
    ] as const) {
      expect(taskVectorMergeBf16(base, four, p4, { ...options, ...change }, context)).toBeUndefined();
    }
    // magnitude and random task vectors in one merge
    const mixed = [{ weight: 1, density: 0.5 }, ...p4.slice(1)];
    expect(taskVectorMergeBf16(base, four, mixed, { ...options, method: 'random' }, context)?.length).toBe(
      4096,
    );
  });

  it('returns undefined when a result is not finite (the general path then names the element)', () => {
    const { base, models } = bf16Inputs(4096, 2, 5);
    models[1]![1234] = 0x7f80; // +Inf
    const parameters = [
      { weight: 1, density: 1 },
      { weight: 1, density: 1 },
    ];
    const options = TIES_DEFAULTS;
    expect(
      taskVectorMergeBf16(base, models, parameters, options, { name: 't', shape: [4096], seed: 1 }),
    ).toBeUndefined();
  });
});

describe('task-vector BF16 kernels', () => {
  it('deltaHistogram equals the float32 histogram of |model − base| (odd lengths, padding not counted)', () => {
    const kernels = taskVectorBf16Kernels()!;
    for (const n of [1, 3, 4, 8191, 8192, 8197, 20_001]) {
      const { base, models } = bf16Inputs(n, 1, n);
      const high = new Uint32Array(65536).fill(7);
      kernels.load(base, models)!.deltaHistograms([0], [high]);
      const expected = new Uint32Array(65536);
      deltaHistogramScalar(new Float32Array(n), bf16ToF32(models[0]!), bf16ToF32(base), expected);
      expect(high).toEqual(expected);
    }
  });

  it('bucketMembers lists exactly the elements of a bucket, in index order, with their magnitude bits', () => {
    const kernels = taskVectorBf16Kernels()!;
    for (const n of [5, 8192, 10_003, 300_001]) {
      const { base, models } = bf16Inputs(n, 2, n + 1);
      const session = kernels.load(base, models)!;
      const delta = new Float32Array(n);
      deltaHistogramScalar(delta, bf16ToF32(models[1]!), bf16ToF32(base), new Uint32Array(65536));
      const bits = Array.from(new Uint32Array(delta.buffer), (b) => b & 0x7fffffff);
      // bucket 0 also holds the padding zeros the kernel adds: they must not be listed
      const buckets = [0, bits[n >> 1]! >>> 16, bits[n - 1]! >>> 16];
      const expected = buckets.map((bucket) => bits.flatMap((b, i) => (b >>> 16 === bucket ? [i] : [])));
      const found = session.bucketMembers(
        buckets.map(() => 1),
        buckets,
        expected.map((e) => e.length),
      );
      expect(found).toBeDefined();
      for (const [j, indices] of expected.entries()) {
        expect([...found![j]!.indices]).toEqual(indices);
        expect([...found![j]!.bits]).toEqual(indices.map((i) => bits[i]!));
      }
    }
  });
});
