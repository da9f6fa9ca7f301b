import { evalError } from '../errors.js';
import { sameLength } from '../validate.js';

type Labels = ArrayLike<number | string>;

export interface BinaryMetrics {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  readonly accuracy: number;
  readonly precision: number;
  /** Recall = TPR = sensitivity. */
  readonly recall: number;
  readonly fpr: number;
  readonly specificity: number;
  readonly f1: number;
  /** Matthews correlation coefficient (NaN when a margin is empty). */
  readonly mcc: number;
}

function checkLabels(yTrue: Labels, yPred: Labels): void {
  sameLength('yTrue', yTrue, 'yPred', yPred);
  if (yTrue.length === 0) throw evalError('E_INPUT', 'yTrue is empty; pass at least one label');
}

/** mlxtend `scoring` binary metrics for the `positive` label (default 1). */
export function binaryMetrics(yTrue: Labels, yPred: Labels, positive: number | string = 1): BinaryMetrics {
  checkLabels(yTrue, yPred);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return {
    tp,
    fp,
    tn,
    fn,
    accuracy: (tp + tn) / yTrue.length,
    precision,
    recall,
    fpr: fp / (fp + tn),
    specificity: tn / (tn + fp),
    f1: (2 * precision * recall) / (precision + recall),
    mcc: (tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)),
  };
}

function classesOf(yTrue: Labels, yPred: Labels): (number | string)[] {
  const set = new Set<number | string>();
  for (let i = 0; i < yTrue.length; i++) set.add(yTrue[i]!);
  for (let i = 0; i < yPred.length; i++) set.add(yPred[i]!);
  return [...set];
}

/** Balanced accuracy: mean per-class recall over classes present in yTrue (sklearn `balanced_accuracy_score`). */
export function balancedAccuracy(yTrue: Labels, yPred: Labels): number {
  checkLabels(yTrue, yPred);
  const hits = new Map<number | string, [number, number]>();
  for (let i = 0; i < yTrue.length; i++) {
    const entry = hits.get(yTrue[i]!) ?? [0, 0];
    entry[1]++;
    if (yPred[i] === yTrue[i]) entry[0]++;
    hits.set(yTrue[i]!, entry);
  }
  let sum = 0;
  for (const [c, n] of hits.values()) sum += c / n;
  return sum / hits.size;
}

/** mlxtend "average per-class accuracy": mean over classes of the one-vs-rest binary accuracy. */
export function averagePerClassAccuracy(yTrue: Labels, yPred: Labels): number {
  checkLabels(yTrue, yPred);
  const classes = classesOf(yTrue, yPred);
  let sum = 0;
  for (const k of classes) {
    let agree = 0;
    for (let i = 0; i < yTrue.length; i++) if ((yTrue[i] === k) === (yPred[i] === k)) agree++;
    sum += agree / yTrue.length;
  }
  return sum / classes.length;
}

/** mlxtend `lift_score`: precision / prevalence of the positive label. */
export function liftScore(yTrue: Labels, yPred: Labels, positive: number | string = 1): number {
  const m = binaryMetrics(yTrue, yPred, positive);
  return m.precision / ((m.tp + m.fn) / yTrue.length);
}

/** Confusion matrix with rows = true class, columns = predicted class, classes in sorted order. */
export function confusionMatrix(
  yTrue: Labels,
  yPred: Labels,
): { classes: (number | string)[]; matrix: number[][] } {
  checkLabels(yTrue, yPred);
  const classes = classesOf(yTrue, yPred).sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
  const index = new Map(classes.map((c, i) => [c, i]));
  const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) matrix[index.get(yTrue[i]!)!]![index.get(yPred[i]!)!]!++;
  return { classes, matrix };
}
