import {
  type MergeMethodName,
  mergeMethod,
  type ParameterValue,
  type Preset,
} from '../src/methods/merge-methods.js';
import { resolveMethodParameters } from '../src/methods/resolve-parameters.js';

/** Runs one registered method on tiny arrays with mergekit's parameter resolution. */
export function runMethod(
  name: MergeMethodName,
  options: {
    base?: number[] | Float32Array;
    models: (number[] | Float32Array)[];
    global?: Record<string, ParameterValue>;
    perModel?: Record<string, ParameterValue>[];
    preset?: Preset;
    shape?: number[];
    seed?: number;
    tensor?: string;
  },
): Float32Array {
  const definition = mergeMethod(name);
  const models = options.models.map((m) => Float32Array.from(m));
  const resolved = resolveMethodParameters(
    definition,
    options.preset ?? 'mergekit',
    options.global ?? {},
    options.perModel ?? models.map(() => ({})),
  );
  const base = options.base ? Float32Array.from(options.base) : undefined;
  return definition.merge(
    { ...(base ? { base } : {}), models, global: resolved.global, perModel: resolved.perModel },
    {
      name: options.tensor ?? 'layer.weight',
      shape: options.shape ?? [models[0]!.length],
      seed: options.seed ?? 0,
    },
  );
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance * Math.max(1, Math.abs(expected[i]!)))) {
      throw new Error(
        `element ${i}: ${actual[i]} ≠ ${expected[i]} (tolerance ${tolerance}); got [${Array.from(actual).join(', ')}]`,
      );
    }
  }
}

/** Deterministic test data: a simple LCG in [-1, 1). */
export function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
