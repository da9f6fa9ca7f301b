import { friedman, nemenyi } from '@modelsmith/eval';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { fmt } from './shared.js';

const help = `Usage: modelsmith eval friedman <scores.csv> [--alpha 0.05] [--lower-is-better] [--json]

Friedman test (scipy friedmanchisquare, tie-corrected) over models compared on several datasets, plus the
Nemenyi post-hoc test and critical difference (Demšar 2006). One row per dataset, one column per model; an
optional non-numeric column named "dataset" is ignored.

Options:
  --alpha A            level of the Nemenyi critical difference (default 0.05)
  --lower-is-better    scores are errors/losses (Nemenyi rank 1 = lowest)
  --json               print {"statistic","pValue","df","datasets","models":[...],
                        "nemenyi":{"meanRanks":{model:r},"criticalDifference":cd,"pValues":{model:{model:p}}}}
                        (Nemenyi rank 1 = best)

Example:
  modelsmith eval friedman scores.csv --json
`;

export const evalFriedmanCommand: Command = {
  path: ['eval', 'friedman'],
  summary: 'Friedman test with Nemenyi post-hoc over models × datasets',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        alpha: { type: 'string' },
        'lower-is-better': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<scores.csv>' },
    );
    const alpha = numberOption(values.alpha, '--alpha') ?? 0.05;
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be in (0, 1), got ${alpha}`);
    const table = await readCsv(positionals[0]!);
    const models = table.header.filter((name) => name !== 'dataset');
    if (models.length < 3)
      throw inputError(`${table.path}: Friedman needs at least 3 model columns, got ${models.length}`);
    const samples = models.map((name) => numberColumn(table, name));
    const f = friedman(samples);
    const post = nemenyi(samples, { alpha, higherIsBetter: !values['lower-is-better'] });
    const output = {
      statistic: f.statistic,
      pValue: f.pValue,
      df: f.df,
      datasets: f.blocks,
      models,
      nemenyi: {
        meanRanks: Object.fromEntries(models.map((m, i) => [m, post.meanRanks[i]!])),
        criticalDifference: post.criticalDifference,
        pValues: Object.fromEntries(
          models.map((m, i) => [m, Object.fromEntries(models.map((o, j) => [o, post.pValues[i]![j]!]))]),
        ),
      },
    };
    if (values.json) {
      printJson(context, output);
      return 0;
    }
    context.stdout(
      `Friedman χ² = ${fmt(f.statistic)}, df = ${f.df}, p = ${fmt(f.pValue)} (${f.blocks} datasets)\n`,
    );
    context.stdout(`Nemenyi critical difference (alpha ${alpha}): ${fmt(post.criticalDifference)}\n`);
    models
      .map((m, i) => [m, post.meanRanks[i]!] as const)
      .sort((a, b) => a[1] - b[1])
      .forEach(([m, r]) => {
        context.stdout(`  ${m.padEnd(20)} mean rank ${fmt(r)}\n`);
      });
    return 0;
  },
};
