import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SparsifyOptions, sparsifyInPlace } from '../src/methods/sparsify.js';
import { prepareTaskVector } from '../src/methods/task-vector.js';

describe('prepareTaskVector (fused passes)', () => {
  it('equals delta → sparsifyInPlace for every sparsifier and rescale (property, with many tied magnitudes)', () => {
    const value = fc.oneof(
      fc.constantFrom(0, 0.5, -0.5, 1, -1),
      fc.float({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('none', 'magnitude', 'random', 'magnitude_outliers', 'della_magprune'),
        fc.constantFrom('none', 'l1_norm', 'inverse_keep_probability', 'darex_q'),
        fc.constantFrom('exact', 'keep_ties'),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (raw, method, rescale, topKTies, density, seed) => {
          const model = Float32Array.from(raw);
          const base = new Float32Array(model.length).map((_, i) => (i % 3) * 0.25);
          const options: SparsifyOptions = { method, rescale, trimScope: 'tensor', topKTies, darexQ: 0.4 };
          const parameters = { density, gamma: 0.1 };
          const context = { name: 't', shape: [model.length], seed };
          const expected = new Float32Array(model.length);
          for (let i = 0; i < model.length; i++) expected[i] = model[i]! - base[i]!;
          sparsifyInPlace(expected, parameters, options, context, 1);
          const out = new Float32Array(model.length);
          const factor = prepareTaskVector(model, base, out, parameters, options, context, 1);
          for (let i = 0; i < model.length; i++) {
            const got = out[i]! * factor;
            expect(Math.abs(got - expected[i]!)).toBeLessThanOrEqual(
              1e-5 * Math.max(1, Math.abs(expected[i]!)),
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
