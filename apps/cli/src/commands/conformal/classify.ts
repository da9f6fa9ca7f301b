import { PROBABILITY_SUM_TOLERANCE, setMetrics, splitConformalClassification } from '@modelsmith/conformal';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import type { CsvTable } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { CAL_TEST_FLAGS, finiteOrNull, fmt, levelOption, readCalTest } from './conformal-input.js';

const help = `Usage: modelsmith conformal classify --cal cal.csv --test test.csv --alpha 0.1 [--score lac|aps|raps] [--seed N] [--json]

Split conformal prediction sets from predicted class probabilities.

Columns: y, then one probability column per class (each row sums to 1 within 1e-6). Classes are
numbered 0..K-1 in column order; y is a class number or a class column name. The test file may omit y.

Options:
  --cal <file>       calibration CSV
  --test <file>      test CSV (same class columns; with y the empirical coverage is reported)
  --alpha <a>        miscoverage level in (0,1)
  --score <name>     lac (default, 1 - p_y), aps or raps
  --randomized       randomized APS/RAPS (tie-breaking U ~ U(0,1): exact coverage, sets may be empty)
  --seed <N>         seed for the randomized draws (implies --randomized; default 0)
  --lambda <l>       RAPS penalty weight (default 0.01)
  --k-reg <k>        RAPS: ranks above k are penalized (default 1)
  --json             print {"k","threshold","sets":[[labels...],...],"coverage","meanSetSize"}
                     (coverage only with test y; an infinite threshold is written as null)

Non-randomized APS/RAPS include the label that crosses the threshold (MAPIE's include_last_label=True).

Example:
  modelsmith conformal classify --cal cal.csv --test test.csv --alpha 0.1 --score aps --json
`;

interface ParsedProbabilities {
  readonly classes: string[];
  readonly rows: number[][];
  readonly labels: number[] | undefined;
}

function parseProbabilityTable(table: CsvTable, requireLabels: boolean): ParsedProbabilities {
  const yIndex = table.header.indexOf('y');
  if (requireLabels && yIndex < 0) {
    throw inputError(
      `${table.path}: no column 'y' (the calibration file needs the true class; columns: ${table.header.join(', ')})`,
    );
  }
  const classColumns = table.header.map((name, i) => ({ name, i })).filter((c) => c.i !== yIndex);
  if (classColumns.length < 2)
    throw inputError(`${table.path}: needs at least 2 probability columns besides y`);
  const classes = classColumns.map((c) => c.name);
  const rows = table.rows.map((row, r) =>
    classColumns.map((c) => {
      const text = row[c.i]!.trim();
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        throw inputError(`${table.path}: row ${r + 2}, column '${c.name}': '${text}' is not a finite number`);
      }
      return value;
    }),
  );
  rows.forEach((row, r) => {
    const sum = row.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
      throw inputError(
        `${table.path}: row ${r + 2}: class probabilities sum to ${sum}, not 1 (tolerance ${PROBABILITY_SUM_TOLERANCE.toExponential()}); write softmax probabilities, not logits`,
      );
    }
  });
  let labels: number[] | undefined;
  if (yIndex >= 0) {
    labels = table.rows.map((row, r) => {
      const text = row[yIndex]!.trim();
      const byName = classes.indexOf(text);
      const asNumber = Number(text);
      const label = byName >= 0 ? byName : text !== '' && Number.isInteger(asNumber) ? asNumber : -1;
      if (label < 0 || label >= classes.length) {
        throw inputError(
          `${table.path}: row ${r + 2}, column 'y': '${text}' is neither a class number 0..${classes.length - 1} nor a class column name`,
        );
      }
      return label;
    });
  }
  return { classes, rows, labels };
}

export const conformalClassifyCommand: Command = {
  path: ['conformal', 'classify'],
  summary: 'Conformal prediction sets (LAC, APS, RAPS) from predicted class probabilities',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        ...CAL_TEST_FLAGS,
        alpha: { type: 'string' },
        score: { type: 'string', default: 'lac' },
        seed: { type: 'string' },
        randomized: { type: 'boolean', default: false },
        lambda: { type: 'string' },
        'k-reg': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    const score = values.score;
    if (score !== 'lac' && score !== 'aps' && score !== 'raps') {
      throw new UsageError(`--score must be lac, aps or raps, got '${score}'`);
    }
    const alpha = levelOption(values.alpha, '--alpha');
    const seed = numberOption(values.seed, '--seed');
    if (seed !== undefined && !Number.isSafeInteger(seed))
      throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
    const lambda = numberOption(values.lambda, '--lambda');
    const kReg = numberOption(values['k-reg'], '--k-reg');
    const tables = await readCalTest(values, context.cwd);
    const cal = parseProbabilityTable(tables.cal, true);
    const testTable = tables.test;
    const test = parseProbabilityTable(testTable, false);
    if (test.classes.join('\u0000') !== cal.classes.join('\u0000')) {
      throw inputError(
        `${testTable.path}: class columns (${test.classes.join(', ')}) differ from the calibration file's (${cal.classes.join(', ')})`,
      );
    }
    const result = splitConformalClassification({
      calProbabilities: cal.rows,
      calLabels: cal.labels!,
      testProbabilities: test.rows,
      alpha,
      score,
      randomized: values.randomized || seed !== undefined,
      seed: seed ?? 0,
      ...(lambda === undefined ? {} : { lambda }),
      ...(kReg === undefined ? {} : { kReg }),
    });
    const k = result.k as number;
    const threshold = result.threshold as number;
    const meanSetSize = result.sets.reduce((s, set) => s + set.length, 0) / Math.max(1, result.sets.length);
    const coverage = test.labels ? setMetrics(result.sets, test.labels).coverage : undefined;
    if (values.json) {
      printJson(context, {
        k,
        threshold: finiteOrNull(threshold),
        sets: result.sets,
        ...(coverage === undefined ? {} : { coverage }),
        meanSetSize,
      });
      return 0;
    }
    const n = cal.rows.length;
    const lines = [
      `score ${score}, n = ${n}, alpha = ${alpha}: k = ${k}${k > n ? ' > n (every set is all classes)' : ''}, threshold = ${fmt(threshold)}`,
      `mean set size ${fmt(meanSetSize)} over ${result.sets.length} test rows`,
    ];
    if (coverage !== undefined) lines.push(`empirical coverage: ${fmt(coverage)}`);
    lines.push('set');
    for (const set of result.sets) lines.push(`{${set.map((c) => cal.classes[c]).join(' ')}}`);
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
