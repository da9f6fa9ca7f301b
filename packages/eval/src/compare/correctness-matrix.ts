import { evalError } from '../errors.js';
import { sameLength } from '../validate.js';

type Labels = ArrayLike<number | string | boolean>;

/** Per-model correctness (1/0) against `yTarget`, checking shapes. */
export function correctnessMatrix(
  yTarget: Labels,
  models: readonly Labels[],
  minModels: number,
): Uint8Array[] {
  if (models.length < minModels)
    throw evalError('E_INPUT', `needs at least ${minModels} models, got ${models.length}`);
  if (yTarget.length === 0) throw evalError('E_INPUT', 'yTarget is empty; pass at least one label');
  return models.map((m, j) => {
    sameLength('yTarget', yTarget, `models[${j}]`, m);
    const out = new Uint8Array(yTarget.length);
    for (let i = 0; i < yTarget.length; i++) out[i] = m[i] === yTarget[i] ? 1 : 0;
    return out;
  });
}
