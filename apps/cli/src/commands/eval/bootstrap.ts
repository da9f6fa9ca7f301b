import { mean, quantile, variance } from '@modelsmith/core-tensor';
import { bootstrap } from '@modelsmith/eval';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { pickColumn } from '../../io/pick-column.js';
import { choiceOption, fmt } from './shared.js';

// `midpoint` at q = 0.5 is the textbook median (mean of the two middle values for even n).
const STATS = {
  mean: (v: readonly number[]) => mean(v),
  median: (v: readonly number[]) => quantile(Float64Array.from(v), 0.5, 'midpoint'),
  sd: (v: readonly number[]) => Math.sqrt(variance(v)),
} as const;

const help = `Usage: modelsmith eval bootstrap <values.csv> [options]

Seeded nonparametric bootstrap confidence interval of a statistic of one column (e.g. per-item scores).
BCa uses the jackknife for the acceleration (as scipy.stats.bootstrap), i.e. n extra evaluations of the
statistic on n − 1 values (quadratic in n: prefer percentile beyond ~10^4 values); percentiles are
linear-interpolated.

Options:
  --stat mean|median|sd          statistic (default mean)
  --ci C                         confidence level (default 0.95)
  --method bca|percentile|basic  interval method (default bca)
  --rounds B                     bootstrap resamples (default 1000)
  --seed S                       seed (default 0); same seed → same interval
  --column NAME                  value column (default: value, score, else the only column)
  --json   print {"estimate":x,"ci":[lo,hi],"se":s,"stat":"mean","method":"bca","confidence":0.95,"rounds":B,"seed":S}

Example:
  modelsmith eval bootstrap values.csv --stat mean --ci 0.95 --method bca --seed 1 --json
`;

export const evalBootstrapCommand: Command = {
  path: ['eval', 'bootstrap'],
  summary: 'bootstrap confidence interval (BCa, percentile, basic) of a statistic',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        stat: { type: 'string' },
        ci: { type: 'string' },
        method: { type: 'string' },
        rounds: { type: 'string' },
        seed: { type: 'string' },
        column: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<values.csv>' },
    );
    const stat = choiceOption(values.stat, '--stat', ['mean', 'median', 'sd'], 'mean');
    const method = choiceOption(values.method, '--method', ['bca', 'percentile', 'basic'], 'bca');
    const confidence = numberOption(values.ci, '--ci') ?? 0.95;
    if (!(confidence > 0 && confidence < 1))
      throw new UsageError(`--ci must be in (0, 1), got ${confidence}`);
    const rounds = integerOption(values.rounds, '--rounds', 2) ?? 1000;
    const seed = integerOption(values.seed, '--seed') ?? 0;
    const table = await readCsv(positionals[0]!);
    const data = Array.from(
      numberColumn(
        table,
        pickColumn(table, values.column, ['value', 'score'], '--column', { soleColumn: true }),
      ),
    );
    const r = bootstrap(data, STATS[stat], { method, confidence, rounds, seed });
    const output = {
      estimate: r.estimate,
      ci: [r.low, r.high],
      se: r.se,
      stat,
      method,
      confidence,
      rounds,
      seed,
    };
    if (values.json) {
      printJson(context, output);
      return 0;
    }
    context.stdout(
      `${stat} = ${fmt(r.estimate)}  ${Math.round(confidence * 1000) / 10}% ${method} CI [${fmt(r.low)}, ${fmt(r.high)}]  se ${fmt(r.se)}\n`,
    );
    context.stdout(`(${data.length} values, ${rounds} resamples, seed ${seed})\n`);
    return 0;
  },
};
