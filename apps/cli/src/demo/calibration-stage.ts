import { brierScoreMulticlass, ece, mce, reliabilityBins } from '@modelsmith/eval';
import type { DemoCalibration } from './demo-results.js';
import { topConfidence } from './evaluate-stage.js';
import type { Predictions } from './mlp.js';

/** Reliability-diagram data, ECE, MCE and Brier score of one model's top-label confidence. */
export function calibrationSummary(
  model: string,
  predictions: Predictions,
  labels: Int32Array,
  classes: number,
  bins = 15,
): DemoCalibration {
  const confidence = topConfidence(predictions);
  const rows: Float64Array[] = [];
  for (let i = 0; i < labels.length; i++)
    rows.push(predictions.probabilities.subarray(i * classes, (i + 1) * classes));
  return {
    model,
    bins,
    ece: ece(confidence, predictions.correct, { bins }),
    mce: mce(confidence, predictions.correct, { bins }),
    brier: brierScoreMulticlass(rows, labels),
    reliability: reliabilityBins(confidence, predictions.correct, { bins }).map((bin) => ({
      low: bin.lo,
      high: bin.hi,
      count: bin.count,
      confidence: bin.confidence ?? 0,
      accuracy: bin.accuracy ?? 0,
    })),
  };
}
