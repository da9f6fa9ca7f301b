import { MULTIPLE_TEST_METHODS, multipleTests } from '@modelsmith/eval';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { pickColumn } from '../../io/pick-column.js';
import { choiceOption, fmt } from './shared.js';

const help = `Usage: modelsmith eval adjust <pvalues.csv> [--method holm] [--alpha 0.05] [--column NAME] [--json]

Multiple-testing correction with statsmodels multipletests semantics: adjusted p-values in input order and
the reject mask (adjusted ≤ alpha).

The CSV has a header; p-values are read from --column, else a column named p, pvalue, p_value or pValue,
else the only column.

Options:
  --method M      ${MULTIPLE_TEST_METHODS.join(', ')} (default holm; simes-hochberg = hochberg)
  --alpha A       family-wise error / FDR level (default 0.05)
  --column NAME   the p-value column
  --json          print {"adjusted":[...],"reject":[...]}

Example:
  modelsmith eval adjust pvalues.csv --method fdr_bh --alpha 0.1 --json
`;

export const evalAdjustCommand: Command = {
  path: ['eval', 'adjust'],
  summary: 'adjust p-values for multiple testing (bonferroni, holm, hommel, fdr_bh, ...)',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        method: { type: 'string' },
        alpha: { type: 'string' },
        column: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<pvalues.csv>' },
    );
    const method = choiceOption(
      values.method,
      '--method',
      [...MULTIPLE_TEST_METHODS, 'simes-hochberg'],
      'holm',
    );
    const alpha = numberOption(values.alpha, '--alpha') ?? 0.05;
    if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha must be in (0, 1), got ${alpha}`);
    const table = await readCsv(positionals[0]!);
    const column = pickColumn(table, values.column, ['p', 'pvalue', 'p_value', 'pValue'], '--column', {
      soleColumn: true,
    });
    const result = multipleTests(numberColumn(table, column), { method, alpha });
    if (values.json) {
      printJson(context, { adjusted: result.adjusted, reject: result.reject });
      return 0;
    }
    const p = numberColumn(table, column);
    context.stdout(
      `${result.method} at alpha ${alpha}: ${result.reject.filter(Boolean).length} of ${p.length} rejected\n`,
    );
    context.stdout('  p          adjusted   reject\n');
    result.adjusted.forEach((a, i) => {
      context.stdout(`  ${fmt(p[i]!).padEnd(10)} ${fmt(a).padEnd(10)} ${result.reject[i] ? 'yes' : 'no'}\n`);
    });
    return 0;
  },
};
