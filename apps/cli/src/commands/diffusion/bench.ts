import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createGaussianMixture,
  type GaussianMixture,
  mixtureG2,
  mixtureG8,
  runTestBed,
  TEST_BED_SOLVERS,
  type TestBedSolver,
  TIME_GRID_KINDS,
  type TimeGridKind,
} from '@modelsmith/diffusion';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { oneOf, positiveIntegerList } from './cli-options.js';

const help = `Usage: modelsmith diffusion bench --mixture G2|G8|<file.json> --solver <name>[,<name>...] [options]

Runs solvers on the analytic Gaussian-mixture test bed (exact denoiser, RK4 reference with 4000 steps)
and prints, per solver and NFE budget, the NFE used, the median per-point error ||x - x_ref||/sqrt(d)
over the 256 spec start points, the fraction of points with error > 0.1, and the fitted order
(minus the slope of log error vs log NFE over the last three budgets).

Problems: VP linear beta 0.1 -> 20, t from 1 to 1e-3 (logSNR grid; DEIS: time-quadratic);
euler/heun run EDM sigma 80 -> 0.002 on a Karras rho = 7 grid. --steps are NFE budgets: singlestep
order-k solvers use steps/k intervals, heun steps/2, pndm steps-9 (3 PRK warm-up intervals of 4 calls)
and plms steps-1.

Options:
  --mixture G2|G8|FILE   built-in mixture or a JSON file {"weights":[..],"means":[[..]],"stds":[[..]]}
  --solver LIST          comma-separated: ${TEST_BED_SOLVERS.join(', ')}
  --steps LIST           NFE budgets (default 12,24,48,96,192,384)
  --grid KIND            override the grid: logsnr, time-uniform, time-quadratic, karras (also exponential, polyexponential)
  --variant V            dpmpp-3m update: reference (shipped, order 2) or consistent (order 3); default reference
  --points N             number of start points (default 256)
  --threshold X          error threshold for fractionAbove (default 0.1)
  --json                 print {"results":[{"solver","steps","nfe","medianError","fractionAbove"}],"orders":{"<solver>":slope}}

Example:
  modelsmith diffusion bench --mixture G2 --solver ddim,dpmpp-2m,unipc-2 --steps 12,24,48,96,192,384
`;

async function loadMixture(spec: string, cwd: string): Promise<GaussianMixture> {
  if (spec === 'G2') return mixtureG2();
  if (spec === 'G8') return mixtureG8();
  const path = resolve(cwd, spec);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--mixture: cannot read '${spec}'; give G2, G8 or a JSON file`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--mixture: ${spec} is not valid JSON (${(error as Error).message})`);
  }
  return createGaussianMixture(value as Parameters<typeof createGaussianMixture>[0]);
}

export const diffusionBenchCommand: Command = {
  path: ['diffusion', 'bench'],
  summary: 'measure solver errors and convergence orders on the analytic Gaussian-mixture test bed',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        mixture: { type: 'string' },
        solver: { type: 'string' },
        steps: { type: 'string', default: '12,24,48,96,192,384' },
        grid: { type: 'string' },
        variant: { type: 'string', default: 'reference' },
        points: { type: 'string' },
        threshold: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.mixture === undefined) throw new UsageError('--mixture is required (G2, G8 or a JSON file)');
    if (values.solver === undefined)
      throw new UsageError(`--solver is required (${TEST_BED_SOLVERS.join(', ')})`);
    const solvers = values.solver.split(',').map((s) => s.trim());
    for (const s of solvers) {
      if (!(TEST_BED_SOLVERS as readonly string[]).includes(s)) {
        throw new UsageError(`unknown solver '${s}'; choose from ${TEST_BED_SOLVERS.join(', ')}`);
      }
    }
    const grid =
      values.grid === undefined ? undefined : oneOf<TimeGridKind>(values.grid, TIME_GRID_KINDS, '--grid');
    if (values.variant !== 'reference' && values.variant !== 'consistent') {
      throw new UsageError(`--variant must be 'reference' or 'consistent', got '${values.variant}'`);
    }
    const steps = positiveIntegerList(values.steps, '--steps');
    const points = numberOption(values.points, '--points');
    const threshold = numberOption(values.threshold, '--threshold');
    const mix = await loadMixture(values.mixture, context.cwd);
    const report = runTestBed(mix, {
      solvers: solvers as TestBedSolver[],
      steps,
      variant: values.variant,
      ...(grid === undefined ? {} : { grid }),
      ...(points === undefined ? {} : { points }),
      ...(threshold === undefined ? {} : { threshold }),
    });
    if (values.json) {
      printJson(context, report);
      return 0;
    }
    const lines = [
      `${'solver'.padEnd(14)} ${'steps'.padStart(6)} ${'nfe'.padStart(6)} ${'median err'.padStart(11)} ${'frac>thr'.padStart(9)}`,
    ];
    for (const r of report.results) {
      lines.push(
        `${r.solver.padEnd(14)} ${String(r.steps).padStart(6)} ${String(r.nfe).padStart(6)} ${r.medianError.toExponential(2).padStart(11)} ${r.fractionAbove.toFixed(3).padStart(9)}`,
      );
    }
    lines.push('', 'fitted order (last three budgets):');
    for (const [s, o] of Object.entries(report.orders)) lines.push(`  ${s.padEnd(14)} ${o.toFixed(2)}`);
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
