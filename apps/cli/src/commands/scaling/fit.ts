import {
  bootstrapChinchilla,
  chinchillaPlotData,
  type FitChinchillaOptions,
  fitChinchilla,
  fitChinchillaHuberLikelihood,
  fitKaplanND,
  holdOutLargest,
  leaveOneOut,
} from '@modelsmith/scaling';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { numberColumn, readCsv } from '../../io/csv.js';
import { assertWritableOutput, writeFileAtomic } from '../../io/output-files.js';
import { pickColumn } from '../../io/pick-column.js';
import { createProgressReporter } from '../../io/progress-reporter.js';
import { formatNumber } from './shared.js';

const help = `Usage: modelsmith scaling fit <runs.csv> [options]

Fits the Chinchilla law L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. Approach 3, as replicated by
Epoch AI): Huber loss on log-loss residuals, summed, L-BFGS from the 4,500-point Hoffmann grid.

Options:
  --law chinchilla|kaplan   Chinchilla (default) or Kaplan's L(N, D) = [(Nc/N)^(aN/aD) + Dc/D]^aD
                            (kaplan: least squares on log L from a small start grid; no bootstrap)
  --params-col NAME         column with N (default: params, N or "Model Size")
  --tokens-col NAME         column with D (default: tokens or D)
  --flops-col NAME          column with training FLOP C instead of tokens; D = C/(6N)
  --loss-col NAME           column with the final loss (default: loss)
  --huber-delta X           Huber delta (default 1e-3)
  --estimator NAME          huber-loss (default: grid fit of the summed Huber loss) or huber-likelihood
                            (Epoch's headline: Huber density with a learned scale, from Hoffmann's values)
  --reduce sum|mean         sum the Huber terms (default) or average them (reproduces Hoffmann's early stop)
  --starts grid|N           the 4,500-point grid (default) or N seeded random starts in the grid's box
  --drop-highest-loss K     drop the K highest-loss runs first (Epoch drops 5)
  --bootstrap N             N bootstrap resamples for 95% intervals (uses --seed)
  --seed S                  seed for random starts and the bootstrap (default 0)
  --holdout-largest K       also refit without the K largest-compute runs and report their prediction error
  --leave-one-out           also report leave-one-out prediction errors and jackknife standard errors
  --plot-data FILE          also write the plot data (runs, fitted slices, frontier with CI bands) as JSON
  --force                   overwrite FILE
  --json                    print {"params":{E,A,B,alpha,beta},"objective","startsAtBest","starts","ci",...}

Example:
  modelsmith scaling fit svg_extracted_data.csv --flops-col "Training FLOP" --drop-highest-loss 5 --json
`;

export const scalingFitCommand: Command = {
  path: ['scaling', 'fit'],
  summary: 'fit a Chinchilla scaling law to training runs (multi-start L-BFGS, bootstrap CIs)',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        law: { type: 'string', default: 'chinchilla' },
        'params-col': { type: 'string' },
        'tokens-col': { type: 'string' },
        'flops-col': { type: 'string' },
        'loss-col': { type: 'string' },
        'huber-delta': { type: 'string' },
        reduce: { type: 'string', default: 'sum' },
        estimator: { type: 'string', default: 'huber-loss' },
        starts: { type: 'string', default: 'grid' },
        'drop-highest-loss': { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        'plot-data': { type: 'string' },
        'holdout-largest': { type: 'string' },
        'leave-one-out': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<runs.csv>' },
    );
    if (values.law !== 'chinchilla' && values.law !== 'kaplan') {
      throw new UsageError(`--law must be 'chinchilla' or 'kaplan', got '${values.law}'`);
    }
    if (values.reduce !== 'sum' && values.reduce !== 'mean') {
      throw new UsageError(`--reduce must be 'sum' or 'mean', got '${values.reduce}'`);
    }
    if (values.estimator !== 'huber-loss' && values.estimator !== 'huber-likelihood') {
      throw new UsageError(
        `--estimator must be 'huber-loss' or 'huber-likelihood', got '${values.estimator}'`,
      );
    }
    if (values['tokens-col'] !== undefined && values['flops-col'] !== undefined) {
      throw new UsageError('give either --tokens-col or --flops-col, not both');
    }
    const starts = values.starts === 'grid' ? 'grid' : integerOption(values.starts, '--starts');
    if (starts === 0) throw new UsageError("--starts must be 'grid' or a positive integer");
    const seed = integerOption(values.seed, '--seed') ?? 0;
    const table = await readCsv(positionals[0]!);
    const paramsCol = pickColumn(table, values['params-col'], ['params', 'N', 'Model Size'], '--params-col');
    const lossCol = pickColumn(table, values['loss-col'], ['loss'], '--loss-col');
    const params = numberColumn(table, paramsCol);
    let tokens: Float64Array;
    if (values['flops-col'] !== undefined) {
      const flops = numberColumn(table, values['flops-col']);
      tokens = flops.map((c, i) => c / (6 * params[i]!));
    } else {
      tokens = numberColumn(
        table,
        pickColumn(table, values['tokens-col'], ['tokens', 'D'], '--tokens-col or --flops-col'),
      );
    }
    const loss = numberColumn(table, lossCol);
    const points = { params, tokens, loss };
    if (values['plot-data'] !== undefined) await assertWritableOutput(values['plot-data'], values.force);
    if (values.law === 'kaplan') {
      const kaplan = fitKaplanND(params, tokens, loss);
      const out = {
        law: 'kaplan',
        params: kaplan.params,
        objective: kaplan.objective,
        startsAtBest: kaplan.startsAtBest,
        starts: kaplan.starts,
      };
      if (values.json) printJson(context, out);
      else {
        const p = kaplan.params;
        context.stdout(
          `Kaplan L(N, D) fit on ${loss.length} runs\n  Nc ${formatNumber(p.Nc)}  Dc ${formatNumber(p.Dc)}  ` +
            `alphaN ${formatNumber(p.alphaN)}  alphaD ${formatNumber(p.alphaD)}\n` +
            `  objective ${formatNumber(kaplan.objective)}; starts at best ${kaplan.startsAtBest}/${kaplan.starts}\n`,
        );
      }
      return 0;
    }
    if (values.estimator === 'huber-likelihood') {
      const lik = fitChinchillaHuberLikelihood(points, {
        delta: numberOption(values['huber-delta'], '--huber-delta') ?? 1e-3,
        dropHighestLoss: integerOption(values['drop-highest-loss'], '--drop-highest-loss') ?? 0,
      });
      const out = {
        law: 'chinchilla',
        estimator: 'huber-likelihood',
        params: lik.params,
        objective: lik.negativeLogLikelihood,
        startsAtBest: 1,
        starts: 1,
        scale: lik.scale,
        gradientNorm: lik.gradientNorm,
        status: lik.status,
      };
      if (values.json) printJson(context, out);
      else {
        context.stdout(
          [
            'Chinchilla Huber-likelihood fit (started from Hoffmann et al.)',
            ...(['E', 'A', 'B', 'alpha', 'beta'] as const).map(
              (k) => `  ${k.padEnd(6)} ${formatNumber(lik.params[k])}`,
            ),
            `  negative log-likelihood ${formatNumber(lik.negativeLogLikelihood)}; scale ${formatNumber(lik.scale)}`,
            '',
          ].join('\n'),
        );
      }
      return 0;
    }
    const progress = createProgressReporter(context);
    const fitOptions: FitChinchillaOptions = {
      delta: numberOption(values['huber-delta'], '--huber-delta') ?? 1e-3,
      reduce: values.reduce as 'sum' | 'mean',
      starts: starts ?? 'grid',
      seed,
      dropHighestLoss: integerOption(values['drop-highest-loss'], '--drop-highest-loss') ?? 0,
    };
    const fit = fitChinchilla(points, { ...fitOptions, onProgress: progress });
    const holdoutCount = integerOption(values['holdout-largest'], '--holdout-largest');
    const holdout = holdoutCount ? holdOutLargest(points, { count: holdoutCount }, fitOptions) : undefined;
    const loo = values['leave-one-out'] ? leaveOneOut(points, fit) : undefined;
    const resamples = integerOption(values.bootstrap, '--bootstrap');
    const boot =
      resamples !== undefined && resamples > 0
        ? bootstrapChinchilla(points, fit, { resamples, seed, onProgress: progress })
        : undefined;
    progress.finish();
    if (values['plot-data'] !== undefined) {
      const keptRows = Array.from({ length: loss.length }, (_, i) => i).filter(
        (i) => !fit.droppedRows.includes(i),
      );
      const plot = chinchillaPlotData(points, fit.params, {
        usedRows: keptRows,
        ...(boot ? { bootstrap: boot } : {}),
      });
      await writeFileAtomic(values['plot-data'], `${JSON.stringify(plot)}\n`);
    }
    const ci = boot
      ? Object.fromEntries(
          (['E', 'A', 'B', 'alpha', 'beta', 'a'] as const).map((k) => [k, [boot[k].lower, boot[k].upper]]),
        )
      : undefined;
    const output = {
      law: 'chinchilla',
      params: fit.params,
      objective: fit.objective,
      startsAtBest: fit.startsAtBest,
      starts: fit.starts,
      ...(ci ? { ci: { level: boot!.level, resamples: boot!.resamples, seed, ...ci } } : {}),
      gradientNorm: fit.gradientNorm,
      status: fit.status,
      allocationExponent: fit.allocationExponent,
      conditionNumber: Number.isFinite(fit.conditionNumber) ? fit.conditionNumber : null,
      pointsUsed: fit.pointsUsed,
      droppedRows: fit.droppedRows.map((row) => row + 2),
      warnings: fit.warnings,
      options: fit.options,
      ...(holdout
        ? {
            holdout: {
              count: holdout.heldOut.length,
              meanAbsoluteRelativeError: holdout.meanAbsoluteRelativeError,
              maxAbsoluteRelativeError: holdout.maxAbsoluteRelativeError,
              params: holdout.fit.params,
              heldOut: holdout.heldOut.map((h) => ({ ...h, row: h.row + 2 })),
            },
          }
        : {}),
      ...(loo
        ? {
            leaveOneOut: {
              meanAbsoluteRelativeError: loo.meanAbsoluteRelativeError,
              maxAbsoluteRelativeError: loo.maxAbsoluteRelativeError,
              jackknifeSe: loo.jackknifeSe,
            },
          }
        : {}),
    };
    if (values.json) {
      printJson(context, output);
      return 0;
    }
    const lines = [
      `Chinchilla fit on ${fit.pointsUsed} runs (${fit.droppedRows.length} dropped)`,
      ...(['E', 'A', 'B', 'alpha', 'beta'] as const).map((k) => {
        const interval = boot ? `  [${formatNumber(boot[k].lower)}, ${formatNumber(boot[k].upper)}]` : '';
        return `  ${k.padEnd(6)} ${formatNumber(fit.params[k])}${interval}`;
      }),
      `  objective ${formatNumber(fit.objective)} (${values.reduce} of Huber, delta ${fit.options.delta})`,
      `  starts at best ${fit.startsAtBest}/${fit.starts}; gradient norm ${formatNumber(fit.gradientNorm)} (${fit.status})`,
      `  N_opt exponent a = ${formatNumber(fit.allocationExponent)}`,
      ...(holdout
        ? [
            `  hold out ${holdout.heldOut.length} largest runs: mean |relative error| ` +
              `${formatNumber(holdout.meanAbsoluteRelativeError)}, max ${formatNumber(holdout.maxAbsoluteRelativeError)}`,
          ]
        : []),
      ...(loo
        ? [
            `  leave-one-out: mean |relative error| ${formatNumber(loo.meanAbsoluteRelativeError)}; jackknife SE ` +
              `alpha ${formatNumber(loo.jackknifeSe.alpha)}, beta ${formatNumber(loo.jackknifeSe.beta)}`,
          ]
        : []),
      ...fit.warnings.map((w) => `warning: ${w}`),
    ];
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
