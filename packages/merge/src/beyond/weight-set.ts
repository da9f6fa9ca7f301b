import { mergeError } from '../errors.js';

/** An in-memory model: tensor name → float32 values (e.g. the weights of a small tfjs model). */
export type WeightSet = Readonly<Record<string, Float32Array>>;

/** Checks that every set has the same tensor names and lengths as the first; returns the names. */
export function commonTensorNames(sets: readonly WeightSet[], what = 'weight sets'): string[] {
  if (sets.length === 0) throw mergeError('E_INPUT', `need at least one of the ${what}`);
  const names = Object.keys(sets[0]!).sort();
  for (const [i, set] of sets.entries()) {
    const own = Object.keys(set);
    if (own.length !== names.length)
      throw mergeError('E_INPUT', `${what}[${i}] has ${own.length} tensors, ${what}[0] has ${names.length}`);
    for (const name of names) {
      const values = set[name];
      if (!values) throw mergeError('E_INPUT', `${what}[${i}] has no tensor '${name}'`);
      if (values.length !== sets[0]![name]!.length) {
        throw mergeError(
          'E_SHAPE_MISMATCH',
          `tensor '${name}' has ${values.length} elements in ${what}[${i}] but ${sets[0]![name]!.length} in ${what}[0]`,
        );
      }
    }
  }
  return names;
}
