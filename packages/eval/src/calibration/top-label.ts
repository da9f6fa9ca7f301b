import { checkProbabilities } from './ece.js';

/**
 * Top-label reduction of an n × K probability matrix: confidence = max probability, correct = 1 when the
 * argmax (first maximum on ties) is the label. Feed the result to the binary calibration tests.
 */
export function topLabel(
  probabilities: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
): { confidence: Float64Array; correct: Uint8Array } {
  const K = checkProbabilities(probabilities, labels);
  const confidence = new Float64Array(probabilities.length);
  const correct = new Uint8Array(probabilities.length);
  probabilities.forEach((row, i) => {
    let arg = 0;
    for (let k = 1; k < K; k++) if (row[k]! > row[arg]!) arg = k;
    confidence[i] = row[arg]!;
    correct[i] = arg === labels[i] ? 1 : 0;
  });
  return { confidence, correct };
}
