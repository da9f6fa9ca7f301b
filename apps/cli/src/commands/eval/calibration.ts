import {
  brierScore,
  brierScoreMulticlass,
  calibrationTests,
  classwiseEce,
  debiasedEce,
  ece,
  logLoss,
  logLossBinary,
  mce,
  reliabilityBins,
  topLabel,
} from '@modelsmith/eval';
import { type Command, parseCommandArgs, printJson } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { hasColumn, numberColumn, readCsv } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { choiceOption, fmt } from './shared.js';

const help = `Usage: modelsmith eval calibration <preds.csv> [--bins 15] [--strategy uniform|quantile] [--edge right|left]
                                   [--ties group|random] [--seed 0] [--json]

Calibration metrics, calibration tests and reliability-diagram data. Two input layouts (header row required):
  confidence,correct     confidence in [0,1] of each prediction and 1/0 whether it was right
                         (Brier and log loss treat confidence as P(correct))
  label,<p0>,<p1>,...    the true class index 0..K−1 and one probability column per class, in class order;
                         ECE/MCE/reliability use the top label, and classwise ECE is added

Options:
  --bins N            number of bins (default 15, Guo et al. 2017)
  --strategy S        uniform (equal width, default) or quantile (equal mass, "adaptive ECE")
  --edge right|left   equal-width edge rule: right = (lo, hi] (sklearn, default), left = [lo, hi)
  --ties group|random tied confidences in the KS/Kuiper cumulative differences: group = evaluate after
                      each whole tie group (default, deterministic, conservative); random = seeded random
                      order within ties (MAPIE's jitter)
  --seed S            seed of --ties random (default 0)
  --json   print {"n":N,"bins":B,"strategy":S,"ece":x,"mce":x,"brier":x,"logLoss":x,
                  ["classwiseEce":x,] "reliability":[{"lo","hi","count","confidence","accuracy"},...],
                  "debiasedEce":{"ece","squared","plugin","bins"}|null,
                  "calibrationTests":{"ks":{"statistic","pValue"}|null,"kuiper":{..}|null,
                                      "spiegelhalter":{"statistic","pValue"}|null}}
           (confidence/accuracy are null for empty bins)

debiasedEce: Kumar et al. (2019) debiased L2 calibration error on --bins equal-mass bins as in
uncertainty-calibration (chunks of ceil(n/bins)); "plugin" is the plain L2 error on the same bins, "squared"
the unbiased (possibly negative) squared estimate; null when there are fewer predictions than bins.
calibrationTests (MAPIE): Kolmogorov-Smirnov and Kuiper on the cumulative differences between outcomes and
confidences sorted by confidence (asymptotic Brownian-motion p-values), Spiegelhalter z with its two-sided
normal p-value; a test is null when undefined (every confidence 0 or 1; for Spiegelhalter 0, 1/2 or 1).
The tests use the (top-label) confidences and correctness.

Example:
  modelsmith eval calibration preds.csv --bins 10 --json
  modelsmith eval calibration preds.csv --ties random --seed 1
`;

export const evalCalibrationCommand: Command = {
  path: ['eval', 'calibration'],
  summary: 'ECE, debiased ECE, MCE, Brier, log loss, KS/Kuiper/Spiegelhalter tests, reliability bins',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        bins: { type: 'string' },
        strategy: { type: 'string' },
        edge: { type: 'string' },
        ties: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<preds.csv>' },
    );
    const binning = {
      bins: integerOption(values.bins, '--bins', 1) ?? 15,
      strategy: choiceOption(values.strategy, '--strategy', ['uniform', 'quantile'], 'uniform'),
      edge: choiceOption(values.edge, '--edge', ['right', 'left'], 'right'),
    };
    const testOptions = {
      ties: choiceOption(values.ties, '--ties', ['group', 'random'], 'group'),
      seed: integerOption(values.seed, '--seed') ?? 0,
    };
    const table = await readCsv(positionals[0]!);
    let confidence: Float64Array;
    let correct: Float64Array;
    let brier: number;
    let loss: number;
    let classwise: number | undefined;
    if (hasColumn(table, 'confidence') && hasColumn(table, 'correct')) {
      confidence = numberColumn(table, 'confidence');
      correct = numberColumn(table, 'correct');
      brier = brierScore(confidence, correct);
      loss = logLossBinary(confidence, correct);
    } else if (hasColumn(table, 'label') && table.header.length >= 3) {
      const labels = numberColumn(table, 'label');
      const classes = table.header.filter((h) => h !== 'label').map((h) => numberColumn(table, h));
      const probabilities = Array.from(labels, (_, i) => classes.map((c) => c[i]!));
      const top = topLabel(probabilities, labels);
      confidence = top.confidence;
      correct = Float64Array.from(top.correct);
      brier = brierScoreMulticlass(probabilities, labels);
      loss = logLoss(probabilities, labels);
      classwise = classwiseEce(probabilities, labels, binning);
    } else {
      throw inputError(
        `${table.path}: expected columns confidence,correct or label plus one probability column per class (columns: ${table.header.join(', ')})`,
      );
    }
    const output = {
      n: confidence.length,
      bins: binning.bins,
      strategy: binning.strategy,
      ece: ece(confidence, correct, binning),
      mce: mce(confidence, correct, binning),
      brier,
      logLoss: loss,
      ...(classwise !== undefined ? { classwiseEce: classwise } : {}),
      reliability: reliabilityBins(confidence, correct, binning),
      debiasedEce:
        confidence.length >= binning.bins ? debiasedEce(confidence, correct, { bins: binning.bins }) : null,
      calibrationTests: calibrationTests(confidence, correct, testOptions),
    };
    if (values.json) {
      printJson(context, output);
      return 0;
    }
    context.stdout(`${output.n} predictions, ${binning.bins} ${binning.strategy} bins\n`);
    context.stdout(
      `  ECE ${fmt(output.ece)}  MCE ${fmt(output.mce)}  Brier ${fmt(brier)}  log loss ${fmt(loss)}\n`,
    );
    if (classwise !== undefined) context.stdout(`  classwise ECE ${fmt(classwise)}\n`);
    const debiased = output.debiasedEce;
    context.stdout(
      debiased === null
        ? `  debiased L2 ECE n/a (fewer predictions than --bins ${binning.bins})\n`
        : `  debiased L2 ECE ${fmt(debiased.ece)}  (plug-in L2 ${fmt(debiased.plugin)}, ${debiased.bins} equal-mass bins)\n`,
    );
    const tests = output.calibrationTests;
    const line = (name: string, t: { statistic: number; pValue: number } | null) =>
      t === null ? `${name} n/a` : `${name} ${fmt(t.statistic)} (p ${fmt(t.pValue)})`;
    context.stdout(
      `  tests: ${line('KS', tests.ks)}  ${line('Kuiper', tests.kuiper)}  ${line('Spiegelhalter z', tests.spiegelhalter)}\n`,
    );
    context.stdout('  bin              count  confidence  accuracy\n');
    for (const [index, b] of output.reliability.entries()) {
      if (b.count === 0) continue;
      const last = index === output.reliability.length - 1;
      const range =
        binning.strategy === 'quantile'
          ? `[${fmt(b.lo)}, ${fmt(b.hi)}]`
          : binning.edge === 'right'
            ? `${index === 0 ? '[' : '('}${fmt(b.lo)}, ${fmt(b.hi)}]`
            : `[${fmt(b.lo)}, ${fmt(b.hi)}${last ? ']' : ')'}`;
      context.stdout(
        `  ${range}`.padEnd(19) +
          `${String(b.count).padStart(5)}  ${fmt(b.confidence).padEnd(10)}  ${fmt(b.accuracy)}\n`,
      );
    }
    return 0;
  },
};
