import { regmix } from '@modelsmith/scaling';
import { type Command, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { pickColumn } from '../../io/pick-column.js';
import { formatNumber } from './shared.js';

const help = `Usage: modelsmith scaling mixture <runs.csv> [options]

RegMix: regress the target loss of small proxy runs on their data-mixture weights, simulate many mixtures
from the prior, and return the average of the top-k (lowest predicted loss).
runs.csv has one column per domain weight and one target column.

Options:
  --target-col NAME         the loss column (default: loss)
  --domains A,B,C           the weight columns (default: every other column)
  --regressor gbdt|linear   gradient-boosted trees (default) or ridge regression
  --simulate N              mixtures to simulate (default 100000)
  --top-k K                 mixtures averaged (default 128)
  --seed S                  seed (default 0)
  --json                    print {"domains","mixture":{..},"predictedLoss","topKMeanLoss","trainSpearman"}

Example:
  modelsmith scaling mixture proxy-runs.csv --target-col pile_cc_loss --top-k 128
`;

export const scalingMixtureCommand: Command = {
  path: ['scaling', 'mixture'],
  summary: 'choose a data mixture from proxy runs (RegMix: regression, simulation, top-k average)',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        'target-col': { type: 'string' },
        domains: { type: 'string' },
        regressor: { type: 'string', default: 'gbdt' },
        simulate: { type: 'string' },
        'top-k': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<runs.csv>' },
    );
    if (values.regressor !== 'gbdt' && values.regressor !== 'linear') {
      throw new UsageError(`--regressor must be 'gbdt' or 'linear', got '${values.regressor}'`);
    }
    const table = await readCsv(positionals[0]!);
    const target = pickColumn(table, values['target-col'], ['loss'], '--target-col');
    const domains =
      values.domains?.split(',').map((d) => d.trim()) ?? table.header.filter((h) => h !== target);
    if (domains.length < 2) throw inputError(`${table.path}: need at least 2 domain weight columns`);
    const columns = domains.map((d) => numberColumn(table, d));
    const losses = numberColumn(table, target);
    const mixtures = Array.from({ length: losses.length }, (_, i) => columns.map((c) => c[i]!));
    const simulate = integerOption(values.simulate, '--simulate');
    const topK = integerOption(values['top-k'], '--top-k');
    const result = regmix(mixtures, losses, {
      regressor: values.regressor,
      ...(simulate ? { simulate } : {}),
      ...(topK ? { topK } : {}),
      seed: integerOption(values.seed, '--seed') ?? 0,
    });
    const mixture = Object.fromEntries(domains.map((d, j) => [d, result.mixture[j]!]));
    if (values.json) {
      printJson(context, {
        domains,
        mixture,
        predictedLoss: result.predictedLoss,
        topKMeanLoss: result.topKMeanLoss,
        trainSpearman: result.trainSpearman,
        regressor: values.regressor,
      });
      return 0;
    }
    const width = Math.max(...domains.map((d) => d.length));
    context.stdout(
      [
        `RegMix (${values.regressor}) on ${losses.length} proxy runs; train Spearman ${formatNumber(result.trainSpearman)}`,
        ...domains.map((d) => `  ${d.padEnd(width)}  ${formatNumber(mixture[d]!)}`),
        `  predicted ${target}: ${formatNumber(result.predictedLoss)}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
