import { resolve } from 'node:path';
import {
  type DiffusionModel,
  flowSchedule,
  initialNoise,
  type NoiseSchedule,
  PREDICTION_TYPES,
  type PredictionType,
  SOLVER_NAMES,
  type SolverName,
  STOCHASTIC_SOLVER_NAMES,
  type StochasticSolverName,
  sample,
  TIME_GRID_KINDS,
  type TimeGridKind,
  veSchedule,
  vpCosineSchedule,
  vpLinearSchedule,
} from '@modelsmith/diffusion';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { assertWritableOutput, writeFileAtomic } from '../../io/output-files.js';
import { oneOf, positiveIntegerList } from './cli-options.js';
import { loadTfjsLayersModel } from './load-tfjs-model.js';

const SCHEDULES = ['vp-linear', 'vp-cosine', 've', 'flow'] as const;

const help = `Usage: modelsmith diffusion sample --model DIR --shape D1,D2,... --solver NAME --steps N [options] -o out.json

Samples from a denoiser saved as a tfjs Layers model (model.json + weight shards, e.g. from
model.save() with a file/memory handler). The model takes x with shape [batch, ...shape] and, if it
has a second input, the time t with shape [batch, 1] (the schedule's continuous time; sigma for ve);
it returns a prediction of the declared type with x's shape. Solvers run in float64.

Options:
  --model DIR            directory with model.json (or the model.json path)
  --shape LIST           sample shape without the batch, e.g. 3,32,32
  --prediction TYPE      eps (default), x0, v, score or flow
  --schedule NAME        vp-linear (default; beta 0.1 -> 20), vp-cosine, ve (EDM sigma), flow
  --solver NAME          ${SOLVER_NAMES.join(', ')} (default dpmpp-2m);
                         stochastic: ${STOCHASTIC_SOLVER_NAMES.join(', ')} (noise from --seed, per sample)
  --steps N              budget of model calls (default 20)
  --grid KIND            ${TIME_GRID_KINDS.join(', ')} (default logsnr; karras for euler/heun)
  --t-start X, --t-end X integration range (defaults: vp 1 -> 1e-3, vp-cosine 0.9946 -> 1e-3, ve 80 -> 0.002, flow 0.9999 -> 1e-4)
  --batch N              number of samples (default 1)
  --seed S               seed of the start (and sampler) noise; sample i always gets the same noise (default 0)
  -o, --output FILE      write {"shape","prediction","solver","nfe","samples":[[...],...]} here
  --force                overwrite an existing output file
  --json                 also print the summary {"output","batch","nfe"} as JSON

Example:
  modelsmith diffusion sample --model ./denoiser --shape 2 --solver unipc-2 --steps 10 --batch 64 --seed 1 -o samples.json
`;

function makeSchedule(name: (typeof SCHEDULES)[number]): {
  schedule: NoiseSchedule;
  tStart: number;
  tEnd: number;
} {
  switch (name) {
    case 'vp-linear':
      return { schedule: vpLinearSchedule(), tStart: 1, tEnd: 1e-3 };
    case 'vp-cosine':
      return { schedule: vpCosineSchedule(), tStart: 0.9946, tEnd: 1e-3 };
    case 've':
      return { schedule: veSchedule(), tStart: 80, tEnd: 0.002 };
    default:
      return { schedule: flowSchedule(), tStart: 1 - 1e-4, tEnd: 1e-4 };
  }
}

export const diffusionSampleCommand: Command = {
  path: ['diffusion', 'sample'],
  summary: 'sample from a tfjs denoiser with a fast ODE solver (float64)',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        model: { type: 'string' },
        shape: { type: 'string' },
        prediction: { type: 'string', default: 'eps' },
        schedule: { type: 'string', default: 'vp-linear' },
        solver: { type: 'string', default: 'dpmpp-2m' },
        steps: { type: 'string', default: '20' },
        grid: { type: 'string' },
        't-start': { type: 'string' },
        't-end': { type: 'string' },
        batch: { type: 'string', default: '1' },
        seed: { type: 'string', default: '0' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.model === undefined) throw new UsageError('--model is required (a directory with model.json)');
    if (values.shape === undefined) throw new UsageError('--shape is required, e.g. --shape 3,32,32');
    if (values.output === undefined) throw new UsageError('-o/--output is required');
    const shape = positiveIntegerList(values.shape, '--shape');
    const prediction = oneOf<PredictionType>(values.prediction, PREDICTION_TYPES, '--prediction');
    const scheduleName = oneOf(values.schedule, SCHEDULES, '--schedule');
    const solver = oneOf<SolverName | StochasticSolverName>(
      values.solver,
      [...SOLVER_NAMES, ...STOCHASTIC_SOLVER_NAMES],
      '--solver',
    );
    const grid = oneOf<TimeGridKind>(
      values.grid ??
        (solver === 'euler' ||
        solver === 'heun' ||
        solver === 'euler-ancestral' ||
        solver === 'dpm2-ancestral'
          ? 'karras'
          : 'logsnr'),
      TIME_GRID_KINDS,
      '--grid',
    );
    const steps = numberOption(values.steps, '--steps')!;
    const batch = numberOption(values.batch, '--batch')!;
    const seed = numberOption(values.seed, '--seed')!;
    for (const [flag, v] of [
      ['--steps', steps],
      ['--batch', batch],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`${flag} must be a positive integer, got ${v}`);
    }
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
    const { schedule, tStart: t0, tEnd: t1 } = makeSchedule(scheduleName);
    const tStart = numberOption(values['t-start'], '--t-start') ?? t0;
    const tEnd = numberOption(values['t-end'], '--t-end') ?? t1;

    const outPath = resolve(context.cwd, values.output);
    await assertWritableOutput(outPath, values.force);
    const tf = await import('@tensorflow/tfjs');
    const net = await loadTfjsLayersModel(tf, resolve(context.cwd, values.model));
    const size = shape.reduce((a, b) => a * b, 1);
    const withTime = net.inputs.length >= 2;
    const model: DiffusionModel = {
      schedule,
      prediction,
      denoise(x, t) {
        const n = x.length / size;
        const out = tf.tidy(() => {
          const xs = tf.tensor(Float32Array.from(x), [n, ...shape]);
          return net.predict(withTime ? [xs, tf.fill([n, 1], t)] : xs) as import('@tensorflow/tfjs').Tensor;
        });
        const values = out.dataSync();
        out.dispose();
        if (values.length !== x.length) {
          throw new UsageError(
            `the model returned ${values.length} values for ${x.length} inputs; its output must have x's shape`,
          );
        }
        return Float64Array.from(values);
      },
    };
    const xT = initialNoise(seed, batch, size, scheduleName === 've' ? tStart : 1);
    const result = sample(model, xT, { solver, nfe: steps, grid, tStart, tEnd, seed, sampleSize: size });
    const samples: number[][] = [];
    for (let p = 0; p < batch; p++) samples.push(Array.from(result.x.subarray(p * size, (p + 1) * size)));
    await writeFileAtomic(
      outPath,
      `${JSON.stringify({ shape, prediction, solver, nfe: result.nfe, samples })}\n`,
    );
    if (values.json) printJson(context, { output: outPath, batch, nfe: result.nfe });
    else context.stdout(`wrote ${batch} sample(s) to ${outPath} (${result.nfe} model calls)\n`);
    return 0;
  },
};
