import { createRandom, parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { diffusionError, PACKAGE_NAME } from '../errors.js';
import { categoricalProbabilities, sampleCategorical } from './categorical.js';

/** The mask token in sequences passed to a masked-diffusion model. */
export const MASK = -1;

/**
 * A masked (absorbing) diffusion model: given a sequence with `MASK` entries, returns logits of shape
 * `length × vocabSize` (row-major) for the clean token at every position. MDMs are time-agnostic.
 */
export interface MaskedDiffusionModel {
  readonly vocabSize: number;
  readonly length: number;
  logits(tokens: Int32Array): Float64Array;
}

const schema = z.object({
  seed: z.number().int(),
  /** Index of this sample: its randomness is `createRandom(seed, 'masked', sampleIndex)`. */
  sampleIndex: z.number().int().min(0).default(0),
  temperature: z.number().positive().default(1),
  topP: z.number().gt(0).max(1).default(1),
});

export type MaskedSamplerOptions = z.input<typeof schema>;

function validateModel(model: MaskedDiffusionModel): void {
  if (
    !Number.isInteger(model.length) ||
    model.length < 1 ||
    !Number.isInteger(model.vocabSize) ||
    model.vocabSize < 1
  ) {
    throw diffusionError('E_INPUT', 'masked model needs positive integer length and vocabSize');
  }
}

function tokenProbs(
  model: MaskedDiffusionModel,
  logits: Float64Array,
  pos: number,
  o: { temperature: number; topP: number },
) {
  const v = model.vocabSize;
  if (logits.length !== model.length * v) {
    throw diffusionError(
      'E_SHAPE_MISMATCH',
      `model returned ${logits.length} logits, expected length × vocabSize = ${model.length * v}`,
    );
  }
  return categoricalProbabilities(logits.subarray(pos * v, (pos + 1) * v), o);
}

/**
 * Ancestral sampler of masked diffusion with the linear schedule (alpha_t = 1 - t) on `steps` uniform
 * steps from t = 1 to 0: from t to s each masked token is revealed with probability (t - s)/t and its
 * token drawn from the model (float64 categorical). The model is called only when a token is revealed.
 */
export function maskedAncestralSample(
  model: MaskedDiffusionModel,
  steps: number,
  options: MaskedSamplerOptions,
): { tokens: Int32Array; nfe: number } {
  validateModel(model);
  const o = parseOptions(PACKAGE_NAME, 'maskedAncestralSample options', schema, options);
  if (!Number.isInteger(steps) || steps < 1)
    throw diffusionError('E_INPUT', `steps must be a positive integer, got ${steps}`);
  const rng = createRandom(o.seed, 'masked', o.sampleIndex).stream();
  const tokens = new Int32Array(model.length).fill(MASK);
  let nfe = 0;
  for (let i = 0; i < steps; i++) {
    const t = 1 - i / steps;
    const s = 1 - (i + 1) / steps;
    const pReveal = (t - s) / t;
    const reveal: number[] = [];
    for (let p = 0; p < tokens.length; p++) if (tokens[p] === MASK && rng.uniform() < pReveal) reveal.push(p);
    if (reveal.length === 0) continue;
    const logits = model.logits(tokens);
    nfe++;
    for (const p of reveal) tokens[p] = sampleCategorical(tokenProbs(model, logits, p, o), rng.uniform());
  }
  return { tokens, nfe };
}

/**
 * First-hitting sampler (Zheng et al. 2024) for the linear schedule: with n masked tokens at time t the
 * next reveal happens at `tau = t u^{1/n}`; a uniformly chosen masked position is then drawn from the
 * model. Exactly equivalent to the ancestral sampler in the many-step limit, with one model call per
 * token (or per `tokensPerStep` tokens in the parallel variant, which reveals k positions at the k-th
 * event time from one model call). Returns the reveal times.
 */
export function firstHittingSample(
  model: MaskedDiffusionModel,
  options: MaskedSamplerOptions & { readonly tokensPerStep?: number },
): { tokens: Int32Array; times: Float64Array; nfe: number } {
  validateModel(model);
  const { tokensPerStep = 1, ...rest } = options;
  const o = parseOptions(PACKAGE_NAME, 'firstHittingSample options', schema, rest);
  if (!Number.isInteger(tokensPerStep) || tokensPerStep < 1) {
    throw diffusionError('E_INPUT', `tokensPerStep must be a positive integer, got ${tokensPerStep}`);
  }
  const rng = createRandom(o.seed, 'fhs', o.sampleIndex).stream();
  const tokens = new Int32Array(model.length).fill(MASK);
  const times = new Float64Array(model.length);
  const masked = Array.from({ length: model.length }, (_, i) => i);
  let t = 1;
  let nfe = 0;
  while (masked.length > 0) {
    const k = Math.min(tokensPerStep, masked.length);
    const chosen: number[] = [];
    for (let j = 0; j < k; j++) {
      // Next of the remaining masked tokens' iid reveal times: t u^{1/n}.
      t *= (1 - rng.uniform()) ** (1 / masked.length);
      const pick = rng.integer(masked.length);
      chosen.push(masked[pick]!);
      masked[pick] = masked[masked.length - 1]!;
      masked.pop();
    }
    const logits = model.logits(tokens);
    nfe++;
    for (const p of chosen) {
      tokens[p] = sampleCategorical(tokenProbs(model, logits, p, o), rng.uniform());
      times[p] = t;
    }
  }
  return { tokens, times, nfe };
}
