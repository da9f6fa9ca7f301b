import { readFile } from 'node:fs/promises';
import { ModelsmithError } from '@modelsmith/core-tensor';
import { zipFit } from '@modelsmith/scaling';
import { type Command, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { inputError } from '../../io/input-error.js';
import { readJsonl } from '../../io/jsonl.js';
import { formatNumber } from './shared.js';

const help = `Usage: modelsmith scaling select --target target.txt --pool pool.jsonl --top K [options]

ZIP-FIT data selection: rank pool texts by their mean gzip alignment (1 − normalised compression distance)
with the target examples and keep the top K.
target.txt holds target examples separated by blank lines; pool.jsonl one {"text": ...} (or a string) per line.

Options:
  --target FILE             target examples
  --pool FILE               candidate texts (JSONL)
  --top K                   how many to keep
  --text-field NAME         field holding the text in pool lines (default: text)
  --json                    print {"selected":[{"line","alignment"}],"pool","targets"}

Example:
  modelsmith scaling select --target lean.txt --pool pool.jsonl --top 1000 --json
`;

export const scalingSelectCommand: Command = {
  path: ['scaling', 'select'],
  summary: 'select training data aligned with a target set (ZIP-FIT gzip compression distance)',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        target: { type: 'string' },
        pool: { type: 'string' },
        top: { type: 'string' },
        'text-field': { type: 'string', default: 'text' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (!values.target || !values.pool) throw new UsageError('give --target and --pool');
    const top = integerOption(values.top, '--top');
    if (!top) throw new UsageError('give --top K (a positive integer)');
    let targetText: string;
    try {
      targetText = await readFile(values.target, 'utf8');
    } catch (error) {
      throw new ModelsmithError({
        packageName: 'cli',
        code: 'E_IO',
        message: `cannot read ${values.target}: ${(error as Error).message}`,
      });
    }
    const targets = targetText
      .split(/\r?\n\s*\r?\n/)
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    if (targets.length === 0) throw inputError(`${values.target}: no target examples (the file is empty)`);
    const field = values['text-field'];
    const pool = (await readJsonl(values.pool)).map((row, i) => {
      const text = typeof row === 'string' ? row : (row as Record<string, unknown> | null)?.[field];
      if (typeof text !== 'string')
        throw inputError(`${values.pool}: item ${i + 1} has no string field '${field}'`);
      return text;
    });
    const ranked = zipFit(pool, targets, Math.min(top, pool.length));
    if (values.json) {
      printJson(context, {
        selected: ranked.map((r) => ({ line: r.index + 1, alignment: r.alignment })),
        pool: pool.length,
        targets: targets.length,
      });
      return 0;
    }
    context.stdout(
      [
        `ZIP-FIT: kept ${ranked.length} of ${pool.length} candidates against ${targets.length} target examples`,
        ...ranked.slice(0, 20).map((r) => `  line ${r.index + 1}  alignment ${formatNumber(r.alignment)}`),
        ...(ranked.length > 20 ? [`  … ${ranked.length - 20} more (use --json for all)`] : []),
        '',
      ].join('\n'),
    );
    return 0;
  },
};
