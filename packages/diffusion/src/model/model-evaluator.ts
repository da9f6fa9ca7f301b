import { diffusionError } from '../errors.js';
import type { DiffusionModel, X0Correction } from './diffusion-model.js';
import { convertPrediction } from './prediction-type.js';

/** Calls a model, counts evaluations and returns x0 or eps predictions (float64, fresh arrays). */
export class ModelEvaluator {
  nfe = 0;
  constructor(
    readonly model: DiffusionModel,
    private readonly correctX0?: X0Correction,
  ) {}

  /**
   * At (clamped) zero terminal SNR, alpha ≈ 2^-12: x0 = (x - sigma eps)/alpha from an eps (or score)
   * model is meaningless (diffusers #3851). Such schedules need v- or x0-prediction models.
   */
  private checkTerminal(t: number): void {
    const p = this.model.prediction;
    if ((p === 'eps' || p === 'score') && this.model.schedule.alpha(t) <= 2 ** -12 * (1 + 1e-9)) {
      throw diffusionError(
        'E_INPUT',
        `alpha(${t}) = ${this.model.schedule.alpha(t)} is at zero terminal SNR: an '${p}' model cannot predict x0 there; use a v- or x0-prediction model or start at a smaller t`,
      );
    }
  }

  private call(x: Float64Array, t: number): Float64Array {
    this.nfe++;
    const out = this.model.denoise(x, t);
    if (out.length !== x.length) {
      throw diffusionError(
        'E_SHAPE_MISMATCH',
        `denoiser returned ${out.length} values for an input of ${x.length}; it must return one per input`,
      );
    }
    return out;
  }

  x0(x: Float64Array, t: number): Float64Array {
    const s = this.model.schedule;
    this.checkTerminal(t);
    const raw = this.call(x, t);
    const x0 = convertPrediction(raw, this.model.prediction, 'x0', x, s.alpha(t), s.sigma(t));
    this.correctX0?.(x0, t);
    return x0;
  }

  eps(x: Float64Array, t: number): Float64Array {
    const s = this.model.schedule;
    if (this.correctX0 !== undefined) this.checkTerminal(t);
    const raw = this.call(x, t);
    if (this.correctX0 === undefined) {
      return convertPrediction(raw, this.model.prediction, 'eps', x, s.alpha(t), s.sigma(t));
    }
    const alpha = s.alpha(t);
    const sigma = s.sigma(t);
    const x0 = convertPrediction(raw, this.model.prediction, 'x0', x, alpha, sigma);
    this.correctX0(x0, t);
    return convertPrediction(x0, 'x0', 'eps', x, alpha, sigma);
  }

  /** x0 (`form = 'data'`) or eps (`form = 'noise'`). */
  predict(form: 'data' | 'noise', x: Float64Array, t: number): Float64Array {
    return form === 'data' ? this.x0(x, t) : this.eps(x, t);
  }
}
