/** Everything `modelsmith demo` measured: written to results.json and drawn in report.html. */
export interface DemoResults {
  readonly version: 1;
  readonly seed: number;
  readonly quick: boolean;
  readonly data: {
    readonly train: number;
    readonly calibration: number;
    readonly test: number;
    readonly source: string;
  };
  readonly tasks: readonly { readonly name: string; readonly description: string }[];
  readonly models: readonly DemoModel[];
  /** McNemar tests of each merge against task arithmetic, on all tasks' test digits pooled. */
  readonly comparisons: DemoComparisons;
  readonly calibration: DemoCalibration;
  readonly conformal: DemoConformal;
  readonly scaling: DemoScaling;
  readonly diffusion: DemoDiffusion;
  /** Sanity checks a sound pipeline passes. */
  readonly checks: DemoChecks;
}

export interface DemoChecks {
  /** A linear merge of one expert with itself, through `mergeCheckpoints`: must equal the expert. */
  readonly selfMerge: {
    readonly expert: string;
    readonly maxAbsWeightDifference: number;
    readonly expertMeanAccuracy: number;
    readonly mergedMeanAccuracy: number;
  };
}

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface DemoModel {
  readonly name: string;
  readonly kind: 'base' | 'expert' | 'lora-expert' | 'merge';
  /** The expert's task, or the merge method. */
  readonly detail: string;
  readonly trainableParameters?: number;
  readonly totalParameters: number;
  /** Test accuracy per task with a bootstrap CI. */
  readonly accuracy: Readonly<Record<string, Interval>>;
  /** Mean accuracy over the expert tasks with a bootstrap CI over the pooled test digits. */
  readonly meanAccuracy: Interval;
  readonly expectedCalibrationError: number;
}

export interface DemoComparisons {
  readonly reference: string;
  readonly correction: string;
  readonly rows: readonly {
    readonly model: string;
    readonly table: readonly [number, number, number, number];
    readonly statistic: number;
    readonly pValue: number;
    readonly adjustedPValue: number;
    readonly reject: boolean;
  }[];
}

export interface DemoCalibration {
  readonly model: string;
  readonly bins: number;
  readonly ece: number;
  readonly mce: number;
  readonly brier: number;
  readonly reliability: readonly {
    low: number;
    high: number;
    confidence: number;
    accuracy: number;
    count: number;
  }[];
}

export interface DemoConformal {
  readonly model: string;
  readonly method: 'aps';
  readonly alpha: number;
  readonly calibrationSize: number;
  readonly testSize: number;
  readonly threshold: number;
  readonly coverage: number;
  readonly meanSetSize: number;
  /** [1 − α, 1 − α + 1/(n+1)]: where coverage lands in expectation. */
  readonly coverageBand: readonly [number, number];
  readonly setSizeHistogram: readonly number[];
}

export interface DemoScaling {
  readonly law: string;
  readonly sizes: readonly number[];
  readonly losses: readonly number[];
  readonly parameters: Readonly<Record<string, number>>;
  readonly extrapolation: readonly { size: number; prediction: number; low: number; high: number }[];
  readonly heldOut?: { size: number; observed: number; predicted: number };
}

export interface DemoDiffusion {
  readonly mixture: string;
  readonly results: readonly { solver: string; steps: number; nfe: number; medianError: number }[];
  readonly orders: Readonly<Record<string, number>>;
}
