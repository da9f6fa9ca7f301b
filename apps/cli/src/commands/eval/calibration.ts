import {
  brierScore,
  brierScoreMulticlass,
  classwiseEce,
  ece,
  logLoss,
  logLossBinary,
  mce,
  reliabilityBins,
} from '@modelsmith/eval';
import { type Command, parseCommandArgs, printJson } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { hasColumn, numberColumn, readCsv } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { choiceOption, fmt } from './shared.js';

const help = `Usage: modelsmith eval calibration <preds.csv> [--bins 15] [--strategy uniform|quantile] [--edge right|left] [--json]

Calibration metrics and reliability-diagram data. Two input layouts (header row required):
  confidence,correct     confidence in [0,1] of each prediction and 1/0 whether it was right
                         (Brier and log loss treat confidence as P(correct))
  label,<p0>,<p1>,...    the true class index 0..K−1 and one probability column per class, in class order;
                         ECE/MCE/reliability use the top label, and classwise ECE is added

Options:
  --bins N            number of bins (default 15, Guo et al. 2017)
  --strategy S        uniform (equal width, default) or quantile (equal mass, "adaptive ECE")
  --edge right|left   equal-width edge rule: right = (lo, hi] (sklearn, default), left = [lo, hi)
  --json   print {"n":N,"bins":B,"strategy":S,"ece":x,"mce":x,"brier":x,"logLoss":x,
                  ["classwiseEce":x,] "reliability":[{"lo","hi","count","confidence","accuracy"},...]}
           (confidence/accuracy are null for empty bins)

Example:
  modelsmith eval calibration preds.csv --bins 10 --json
`;

export const evalCalibrationCommand: Command = {
  path: ['eval', 'calibration'],
  summary: 'ECE, MCE, Brier, log loss and reliability-diagram bins',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        bins: { type: 'string' },
        strategy: { type: 'string' },
        edge: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<preds.csv>' },
    );
    const binning = {
      bins: integerOption(values.bins, '--bins', 1) ?? 15,
      strategy: choiceOption(values.strategy, '--strategy', ['uniform', 'quantile'], 'uniform'),
      edge: choiceOption(values.edge, '--edge', ['right', 'left'], 'right'),
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
      confidence = Float64Array.from(probabilities, (row) => Math.max(...row));
      correct = Float64Array.from(probabilities, (row, i) =>
        row.indexOf(Math.max(...row)) === labels[i] ? 1 : 0,
      );
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
