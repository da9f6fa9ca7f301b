import { wilcoxon } from '@modelsmith/eval';
import { type Command, parseCommandArgs, printJson } from '../../command.js';
import { hasColumn, numberColumn, readCsv } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { choiceOption, fmt } from './shared.js';

const help = `Usage: modelsmith eval wilcoxon <pairs.csv> [options]

Wilcoxon signed-rank test (scipy semantics) on paired scores: columns x,y (differences x − y), or a single
column d of differences. 'auto' follows scipy 1.17: the exact null distribution when n ≤ 50 with no zeros
or ties; with zeros or ties and n ≤ 13 an exact permutation test over all 2^n sign flips; otherwise the
normal approximation with tie correction.

Options:
  --alternative two-sided|greater|less   (default two-sided)
  --zero-method wilcox|pratt|zsplit      zero differences: drop (default), Pratt, or split
  --method auto|exact|approx|permutation (default auto)
  --correction                           continuity correction in the normal approximation
  --json    print {"statistic":W,"pValue":p,"method":"exact"|"approx"|"permutation","n":n} (+ "z" for approx)

Example:
  modelsmith eval wilcoxon pairs.csv --json
`;

export const evalWilcoxonCommand: Command = {
  path: ['eval', 'wilcoxon'],
  summary: 'Wilcoxon signed-rank test on paired scores',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        alternative: { type: 'string' },
        'zero-method': { type: 'string' },
        method: { type: 'string' },
        correction: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<pairs.csv>' },
    );
    const options = {
      alternative: choiceOption(
        values.alternative,
        '--alternative',
        ['two-sided', 'greater', 'less'],
        'two-sided',
      ),
      zeroMethod: choiceOption(
        values['zero-method'],
        '--zero-method',
        ['wilcox', 'pratt', 'zsplit'],
        'wilcox',
      ),
      method: choiceOption(values.method, '--method', ['auto', 'exact', 'approx', 'permutation'], 'auto'),
      correction: values.correction,
    };
    const table = await readCsv(positionals[0]!);
    let result: ReturnType<typeof wilcoxon>;
    if (hasColumn(table, 'x') && hasColumn(table, 'y'))
      result = wilcoxon(numberColumn(table, 'x'), numberColumn(table, 'y'), options);
    else if (hasColumn(table, 'd') || table.header.length === 1) {
      result = wilcoxon(
        numberColumn(table, hasColumn(table, 'd') ? 'd' : table.header[0]!),
        undefined,
        options,
      );
    } else
      throw inputError(
        `${table.path}: expected columns x,y or a column d (columns: ${table.header.join(', ')})`,
      );
    const output = {
      statistic: result.statistic,
      pValue: result.pValue,
      method: result.method,
      n: result.n,
      ...(result.z !== undefined ? { z: result.z } : {}),
    };
    if (values.json) {
      printJson(context, output);
      return 0;
    }
    context.stdout(`Wilcoxon signed-rank (${result.method}, ${options.alternative}), n = ${result.n}\n`);
    context.stdout(`  statistic  ${fmt(result.statistic)}\n  p-value    ${fmt(result.pValue)}\n`);
    return 0;
  },
};
