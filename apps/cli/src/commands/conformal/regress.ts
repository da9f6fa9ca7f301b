import { cqr, intervalMetrics, splitConformalRegression } from '@modelsmith/conformal';
import { type Command, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { optionalColumn, requireColumn } from '../../io/require-column.js';
import { readYPredColumns } from '../../io/y-pred-columns.js';
import { CAL_TEST_FLAGS, finiteOrNull, fmt, levelOption, readCalTest } from './conformal-input.js';

const help = `Usage: modelsmith conformal regress --cal cal.csv --test test.csv --alpha 0.1 [--score absolute|normalized|cqr] [--json]

Split conformal prediction intervals with the exact finite-sample rank k = ceil((n+1)(1-alpha)).

Columns:
  absolute    cal: y,pred             test: pred (y optional)
  normalized  cal: y,pred,sigma       test: pred,sigma (y optional)   score |y-pred|/sigma
  cqr         cal: y,lo,hi            test: lo,hi (y optional)        conformalized quantile regression

Options:
  --cal <file>     calibration CSV (held out from training)
  --test <file>    test CSV; when it has a y column the empirical coverage is reported
  --alpha <a>      miscoverage level in (0,1), e.g. 0.1 for 90% intervals
  --score <name>   absolute (default), normalized or cqr
  --json           print {"k","threshold","intervals":[[lo,hi],...],"coverage"} (coverage only with test y;
                   an infinite threshold or bound is written as null)

Example:
  modelsmith conformal regress --cal cal.csv --test test.csv --alpha 0.1 --json
`;

export const conformalRegressCommand: Command = {
  path: ['conformal', 'regress'],
  summary: 'Split-conformal / CQR prediction intervals from calibration predictions',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        ...CAL_TEST_FLAGS,
        alpha: { type: 'string' },
        score: { type: 'string', default: 'absolute' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    const score = values.score;
    if (score !== 'absolute' && score !== 'normalized' && score !== 'cqr') {
      throw new UsageError(`--score must be absolute, normalized or cqr, got '${score}'`);
    }
    const alpha = levelOption(values.alpha, '--alpha');
    const { cal, test } = await readCalTest(values, context.cwd);
    let k: number;
    let threshold: number;
    let lower: Float64Array;
    let upper: Float64Array;
    if (score === 'cqr') {
      const result = cqr({
        calY: requireColumn(cal, 'y', 'the calibration file needs the true outcomes'),
        calLower: requireColumn(cal, 'lo', 'cqr needs lower-quantile predictions'),
        calUpper: requireColumn(cal, 'hi', 'cqr needs upper-quantile predictions'),
        testLower: requireColumn(test, 'lo', 'cqr needs lower-quantile predictions'),
        testUpper: requireColumn(test, 'hi', 'cqr needs upper-quantile predictions'),
        alpha,
      });
      ({ k, threshold, lower, upper } = result.intervals[0]!);
    } else {
      const { calY, calPredictions, testPredictions } = readYPredColumns(cal, test);
      const result = splitConformalRegression({
        calY,
        calPredictions,
        testPredictions,
        alpha,
        score,
        ...(score === 'normalized'
          ? {
              calSigma: requireColumn(cal, 'sigma', 'the normalized score needs a difficulty estimate'),
              testSigma: requireColumn(test, 'sigma', 'the normalized score needs a difficulty estimate'),
            }
          : {}),
      });
      ({ k, threshold, lower, upper } = result.intervals[0]!);
    }
    const testY = optionalColumn(test, 'y');
    const coverage = testY === undefined ? undefined : intervalMetrics(testY, lower, upper).coverage;
    const n = cal.rows.length;
    if (values.json) {
      printJson(context, {
        k,
        threshold: finiteOrNull(threshold),
        intervals: Array.from(lower, (lo, j) => [finiteOrNull(lo), finiteOrNull(upper[j]!)]),
        ...(coverage === undefined ? {} : { coverage }),
      });
      return 0;
    }
    const lines = [
      `score ${score}, n = ${n}, alpha = ${alpha}: k = ${k}${k > n ? ' > n (infinite intervals)' : ''}, threshold = ${fmt(threshold)}`,
      `guaranteed coverage >= ${fmt(1 - alpha)} (exact for continuous scores: ${fmt(Math.min(1, k / (n + 1)))})`,
    ];
    if (coverage !== undefined)
      lines.push(`empirical coverage on ${test.rows.length} test rows: ${fmt(coverage)}`);
    lines.push('lo,hi');
    for (let j = 0; j < lower.length; j++) lines.push(`${fmt(lower[j]!)},${fmt(upper[j]!)}`);
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
