import { extrapolateCurve, predictiveEarlyStopping } from '@modelsmith/scaling';
import {
  type Command,
  numberListOption,
  numberOption,
  parseCommandArgs,
  printJson,
  UsageError,
} from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { pickColumn } from '../../io/pick-column.js';
import { formatNumber } from './shared.js';

const help = `Usage: modelsmith scaling extrapolate <curve.csv> --to X [options]

Extrapolates a learning curve with LC-PFN's parametric prior (weighted pow3 + ilog2 + janoschek), by MAP
plus an affine-invariant ensemble MCMC (default) or a Laplace approximation (a Gaussian around the MAP with
the inverse numerical Hessian as covariance); prints posterior predictive quantiles at the horizon.

Options:
  --to X                    the x (epoch/step) to predict at
  --x-col NAME              column with x (default: epoch, step or x; else rows are 1, 2, ...)
  --y-col NAME              column with the metric (default: y, accuracy or loss)
  --direction D             increasing (default) or decreasing (loss-like)
  --range LO,HI             the metric's range, mapped to [0, 1] (default 0,1)
  --at X1,X2                extra x values to predict at
  --quantiles Q1,Q2         predictive quantiles (default 0.05,0.25,0.5,0.75,0.95)
  --best V                  best final value so far: also print P(improvement) and a stop/continue decision
  --posterior P             mcmc (default) or laplace
  --steps N --walkers W     MCMC length and ensemble size (default 600, 32)
  --draws N                 Laplace posterior draws (default 2000)
  --seed S                  seed (default 0)
  --json                    print {"at","mean","quantiles":{"0.05":[..]},"posterior","acceptanceRate","map",
                            "earlyStopping"}; with --posterior laplace also "laplace":{"jitter"}
                            (acceptanceRate is then the share of Gaussian draws inside the prior's support)

Example:
  modelsmith scaling extrapolate curve.csv --to 100 --y-col accuracy
  modelsmith scaling extrapolate curve.csv --to 100 --posterior laplace --json
`;

export const scalingExtrapolateCommand: Command = {
  path: ['scaling', 'extrapolate'],
  summary: 'extrapolate a learning curve with posterior predictive intervals (LC-PFN prior, MCMC or Laplace)',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        to: { type: 'string' },
        'x-col': { type: 'string' },
        'y-col': { type: 'string' },
        direction: { type: 'string', default: 'increasing' },
        range: { type: 'string' },
        at: { type: 'string' },
        quantiles: { type: 'string' },
        best: { type: 'string' },
        steps: { type: 'string' },
        walkers: { type: 'string' },
        posterior: { type: 'string', default: 'mcmc' },
        draws: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<curve.csv>' },
    );
    const horizon = numberOption(values.to, '--to');
    if (horizon === undefined) throw new UsageError('give --to, the x to extrapolate to');
    if (values.direction !== 'increasing' && values.direction !== 'decreasing') {
      throw new UsageError(`--direction must be 'increasing' or 'decreasing', got '${values.direction}'`);
    }
    if (values.posterior !== 'mcmc' && values.posterior !== 'laplace') {
      throw new UsageError(`--posterior must be 'mcmc' or 'laplace', got '${values.posterior}'`);
    }
    const draws = integerOption(values.draws, '--draws', 1);
    const range = numberListOption(values.range, '--range');
    if (range !== undefined && range.length !== 2) throw new UsageError('--range takes two numbers: LO,HI');
    const table = await readCsv(positionals[0]!);
    const yCol = pickColumn(table, values['y-col'], ['y', 'accuracy', 'loss'], '--y-col');
    const xName = values['x-col'] ?? ['epoch', 'step', 'x'].find((name) => table.header.includes(name));
    const y = numberColumn(table, yCol);
    const x = xName !== undefined ? numberColumn(table, xName) : undefined;
    const steps = integerOption(values.steps, '--steps') ?? 600;
    const result = extrapolateCurve(x ? { x, y } : { y }, {
      horizon,
      direction: values.direction,
      ...(range ? { range: [range[0]!, range[1]!] as [number, number] } : {}),
      at: numberListOption(values.at, '--at') ?? [],
      ...(values.quantiles ? { quantiles: numberListOption(values.quantiles, '--quantiles')! } : {}),
      steps,
      burn: Math.floor(steps / 2),
      walkers: integerOption(values.walkers, '--walkers') ?? 32,
      seed: integerOption(values.seed, '--seed') ?? 0,
      posterior: values.posterior,
      ...(draws !== undefined ? { laplaceDraws: draws } : {}),
    });
    const best = numberOption(values.best, '--best');
    const earlyStopping =
      best === undefined
        ? undefined
        : predictiveEarlyStopping(result.horizonSamples, best, { direction: values.direction });
    if (values.json) {
      printJson(context, {
        at: result.at,
        mean: result.mean,
        quantiles: Object.fromEntries(result.quantiles.map((q) => [String(q.level), q.values])),
        posterior: result.posterior,
        acceptanceRate: result.acceptanceRate,
        ...(result.laplace ? { laplace: { jitter: result.laplace.jitter } } : {}),
        map: Object.fromEntries(result.parameterNames.map((name, i) => [name, result.map.theta[i]])),
        ...(earlyStopping ? { earlyStopping } : {}),
      });
      return 0;
    }
    const lines = [
      `Learning-curve extrapolation of ${y.length} points (${yCol}) to x = ${formatNumber(horizon)}`,
    ];
    result.at.forEach((q, j) => {
      const qs = result.quantiles.map((row) => `q${row.level}=${formatNumber(row.values[j]!)}`).join('  ');
      lines.push(`  x=${formatNumber(q)}  mean=${formatNumber(result.mean[j]!)}  ${qs}`);
    });
    lines.push(
      result.laplace
        ? `  Laplace: Hessian jitter ${formatNumber(result.laplace.jitter)}, ` +
            `${formatNumber(result.acceptanceRate)} of Gaussian draws inside the prior's support`
        : `  MCMC acceptance ${formatNumber(result.acceptanceRate)}`,
    );
    if (earlyStopping) {
      lines.push(
        `  P(beats ${formatNumber(best!)}) = ${formatNumber(earlyStopping.probabilityOfImprovement)}: ` +
          (earlyStopping.stop ? 'stop this run' : 'continue'),
      );
    }
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
