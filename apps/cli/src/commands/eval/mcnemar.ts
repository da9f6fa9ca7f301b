import { mcnemar, mcnemarTable } from '@modelsmith/eval';
import { type Command, numberListOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { readCsv, stringColumn } from '../../io/csv.js';
import { fmt } from './shared.js';

const help = `Usage: modelsmith eval mcnemar (--table b00,b01,b10,b11 | --pred preds.csv) [--exact] [--no-correction] [--json]

McNemar's test for two classifiers on the same test set (mlxtend semantics). The table is
[[b00, b01], [b10, b11]]: b00 both right, b01 model 1 right & model 2 wrong, b10 model 2 right & model 1
wrong, b11 both wrong. Default: χ² with Edwards continuity correction (mlxtend default; HF evaluate uses
--no-correction). --exact runs the two-sided binomial test on b01, b10 (recommended when b01 + b10 < 25).

Options:
  --table LIST       the four counts b00,b01,b10,b11
  --pred FILE        CSV with columns y,model1,model2 (labels; only correctness matters)
  --exact            exact binomial p-value ("statistic" is null)
  --no-correction    χ² without continuity correction
  --json             print {"statistic":s,"pValue":p}

Examples:
  modelsmith eval mcnemar --table 101,121,59,33 --json
  modelsmith eval mcnemar --pred preds.csv --exact
`;

export const evalMcnemarCommand: Command = {
  path: ['eval', 'mcnemar'],
  summary: "McNemar's test (χ² with/without correction, or exact) for two classifiers",
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        table: { type: 'string' },
        pred: { type: 'string' },
        exact: { type: 'boolean', default: false },
        'no-correction': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if ((values.table === undefined) === (values.pred === undefined))
      throw new UsageError('give exactly one of --table or --pred');
    let table: [[number, number], [number, number]];
    if (values.table !== undefined) {
      const cells = numberListOption(values.table, '--table')!;
      if (cells.length !== 4 || cells.some((v) => !Number.isInteger(v) || v < 0)) {
        throw new UsageError(
          `--table needs four non-negative integer counts b00,b01,b10,b11, got '${values.table}'`,
        );
      }
      table = [
        [cells[0]!, cells[1]!],
        [cells[2]!, cells[3]!],
      ];
    } else {
      const csv = await readCsv(values.pred!);
      const t = mcnemarTable(
        stringColumn(csv, 'y'),
        stringColumn(csv, 'model1'),
        stringColumn(csv, 'model2'),
      );
      table = [
        [t[0][0], t[0][1]],
        [t[1][0], t[1][1]],
      ];
    }
    const result = mcnemar(table, { exact: values.exact, corrected: !values['no-correction'] });
    if (values.json) {
      printJson(context, { statistic: result.statistic, pValue: result.pValue });
      return 0;
    }
    const kind = values.exact
      ? 'exact binomial'
      : values['no-correction']
        ? 'χ² (uncorrected)'
        : 'χ² (continuity corrected)';
    context.stdout(`McNemar ${kind} on [[${table[0].join(', ')}], [${table[1].join(', ')}]]\n`);
    if (result.statistic !== null) context.stdout(`  statistic  ${fmt(result.statistic)}\n`);
    context.stdout(`  p-value    ${fmt(result.pValue)}\n`);
    if (result.exactRecommended && !values.exact)
      context.stdout('  note: b01 + b10 < 25, consider --exact\n');
    return 0;
  },
};
