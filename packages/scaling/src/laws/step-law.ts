import { checkEnoughPoints, checkSameLength, checkValues } from '../internal/check-input.js';
import { linearLeastSquares } from '../internal/linear-least-squares.js';

/** Step Law (Li et al. 2025): eta_opt = 1.79·N^−0.713·D^0.307, B_opt = 0.58·D^0.571 (N non-embedding, B tokens). */
export interface StepLawConstants {
  readonly lrCoefficient: number;
  readonly lrParamsExponent: number;
  readonly lrTokensExponent: number;
  readonly batchCoefficient: number;
  readonly batchTokensExponent: number;
}

export const stepLawConstants: StepLawConstants = {
  lrCoefficient: 1.79,
  lrParamsExponent: -0.713,
  lrTokensExponent: 0.307,
  batchCoefficient: 0.58,
  batchTokensExponent: 0.571,
};

export interface StepLawHyperparameters {
  /** Peak learning rate. */
  readonly learningRate: number;
  /** Batch size in tokens. */
  readonly batchTokens: number;
}

export function stepLawLearningRate(
  params: number,
  tokens: number,
  c: StepLawConstants = stepLawConstants,
): number {
  return c.lrCoefficient * params ** c.lrParamsExponent * tokens ** c.lrTokensExponent;
}

export function stepLawBatchSize(tokens: number, c: StepLawConstants = stepLawConstants): number {
  return c.batchCoefficient * tokens ** c.batchTokensExponent;
}

export function stepLawHyperparameters(params: number, tokens: number): StepLawHyperparameters {
  checkValues('params', [params], true);
  checkValues('tokens', [tokens], true);
  return { learningRate: stepLawLearningRate(params, tokens), batchTokens: stepLawBatchSize(tokens) };
}

/**
 * Re-fits the Step Law forms to grid-searched optima by least squares in log space:
 * log eta = log c + p·log N + q·log D and log B = log c' + r·log D.
 */
export function fitStepLaw(
  params: ArrayLike<number>,
  tokens: ArrayLike<number>,
  learningRate: ArrayLike<number>,
  batchTokens: ArrayLike<number>,
): StepLawConstants {
  checkSameLength(
    ['params', 'tokens', 'learningRate', 'batchTokens'],
    [params, tokens, learningRate, batchTokens],
  );
  checkValues('params', params, true);
  checkValues('tokens', tokens, true);
  checkValues('learningRate', learningRate, true);
  checkValues('batchTokens', batchTokens, true);
  checkEnoughPoints(params.length, 3, 'Step Law');
  const n = params.length;
  const x3 = new Float64Array(n * 3);
  const x2 = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    x3[i * 3] = 1;
    x3[i * 3 + 1] = Math.log(params[i]!);
    x3[i * 3 + 2] = Math.log(tokens[i]!);
    x2[i * 2] = 1;
    x2[i * 2 + 1] = Math.log(tokens[i]!);
  }
  const lr = linearLeastSquares(x3, Float64Array.from(learningRate, Math.log), 3);
  const batch = linearLeastSquares(x2, Float64Array.from(batchTokens, Math.log), 2);
  return {
    lrCoefficient: Math.exp(lr[0]!),
    lrParamsExponent: lr[1]!,
    lrTokensExponent: lr[2]!,
    batchCoefficient: Math.exp(batch[0]!),
    batchTokensExponent: batch[1]!,
  };
}
