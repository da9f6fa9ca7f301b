import type { DiffusionModel } from '../model/diffusion-model.js';
import { convertPrediction } from '../model/prediction-type.js';

/**
 * Classifier / energy guidance through a gradient callback: `grad(x, t)` returns `∇_x log p(c | x_t)`
 * (or minus an energy gradient). The guided model predicts `eps - scale(t) sigma_t grad`, i.e. the score
 * of `q_t(x) p(c | x)^scale` (DPM-Solver `classifier` guidance; minority guidance is one use).
 */
export function gradientGuidance(
  model: DiffusionModel,
  grad: (x: Float64Array, t: number) => Float64Array,
  scale: number | ((t: number) => number),
): DiffusionModel {
  const sch = model.schedule;
  return {
    schedule: sch,
    prediction: 'eps',
    denoise(x, t) {
      const sigma = sch.sigma(t);
      const eps = convertPrediction(model.denoise(x, t), model.prediction, 'eps', x, sch.alpha(t), sigma);
      const g = grad(x, t);
      const w = (typeof scale === 'number' ? scale : scale(t)) * sigma;
      for (let i = 0; i < eps.length; i++) eps[i] = eps[i]! - w * g[i]!;
      return eps;
    },
  };
}
