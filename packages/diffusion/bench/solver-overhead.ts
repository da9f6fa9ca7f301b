// Benchmark (not part of `pnpm test`): solver overhead per step relative to one denoiser call on a
// 64×3×32×32 batch, and samples/second on the Gaussian-mixture test bed. Run: pnpm bench
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  type DiffusionModel,
  ddim,
  deis,
  dpmSolverMultistep,
  edmSampler,
  initialNoise,
  makeTimeGrid,
  mixtureG2,
  mixtureG8,
  mixtureModel,
  mixtureStartPoints,
  perSampleNoise,
  pndm,
  sample,
  saSolver,
  sdeDpmSolverPlusPlus,
  uniPc,
  vpLinearSchedule,
} from '../src/index.js';

const now = () => performance.now();
function time(fn: () => void, repeats: number): number {
  fn();
  const t0 = now();
  for (let i = 0; i < repeats; i++) fn();
  return (now() - t0) / repeats;
}

const schedule = vpLinearSchedule();
const size = 64 * 3 * 32 * 32;
const x = initialNoise(0, 64, 3 * 32 * 32);
const steps = 10;
const times = makeTimeGrid(schedule, { kind: 'logsnr', steps, tStart: 1, tEnd: 1e-3 });

// Baseline 1: a small tfjs conv denoiser (wasm backend, float32): conv3x3(3→32) relu conv3x3(32→32) relu conv3x3(32→3).
await tf.setBackend('wasm');
const net = tf.sequential({
  layers: [
    tf.layers.conv2d({
      inputShape: [32, 32, 3],
      filters: 32,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
    }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }),
  ],
});
const convCall = (v: Float64Array) => {
  const out = tf.tidy(() => net.predict(tf.tensor4d(Float32Array.from(v), [64, 32, 32, 3])) as tf.Tensor);
  const r = Float64Array.from(out.dataSync());
  out.dispose();
  return r;
};
const convMs = time(() => convCall(x), 5);

// Baseline 2: the exact GMM denoiser at the same size (d = 3072, K = 4).
const gmm = mixtureModel(
  {
    dim: 3072,
    weights: Float64Array.of(0.4, 0.3, 0.2, 0.1),
    means: Float64Array.from({ length: 4 * 3072 }, (_, i) => Math.cos(i)),
    stds: Float64Array.from({ length: 4 * 3072 }, (_, i) => 0.2 + 0.1 * (i % 4)),
  },
  schedule,
  'eps',
);
const gmmMs = time(() => gmm.denoise(x, 0.5), 5);

// Solver overhead: run each solver with a free denoiser (returns a precomputed array).
const fixed = new Float64Array(size).fill(0.1);
const free: DiffusionModel = { schedule, prediction: 'eps', denoise: () => fixed };
const solvers: [string, () => unknown][] = [
  ['ddim', () => ddim(free, x, times)],
  ['dpmpp-2m', () => dpmSolverMultistep(free, x, times, { order: 2 })],
  ['dpmpp-3m', () => dpmSolverMultistep(free, x, times, { order: 3 })],
  ['unipc-2', () => uniPc(free, x, times, { order: 2 })],
  ['unipc-3', () => uniPc(free, x, times, { order: 3 })],
  ['deis-3', () => deis(free, x, times, { order: 3 })],
  ['heun (2 calls/step)', () => edmSampler(free, x, times, { method: 'heun' })],
  [
    'sde-dpmpp-2m (+noise)',
    () => sdeDpmSolverPlusPlus(free, x, times, { noise: perSampleNoise(1, 3072), order: 2 }),
  ],
  ['pndm (PRK warm-up, 19 calls)', () => pndm(free, x, times)],
  ['plms (11 calls)', () => pndm(free, x, times, { skipPrkSteps: true })],
  [
    'sa-solver-ode (p3/c3, tau 0)',
    () => saSolver(free, x, times, { tau: 0, predictorOrder: 3, correctorOrder: 3 }),
  ],
  [
    'sa-solver (p2/c2, tau 1, +noise)',
    () =>
      saSolver(free, x, times, {
        noise: perSampleNoise(1, 3072),
        tau: 1,
        predictorOrder: 2,
        correctorOrder: 2,
      }),
  ],
];
const rows: string[] = [];
for (const [name, run] of solvers) {
  const perStep = time(run, 5) / steps;
  rows.push(
    `| ${name} | ${perStep.toFixed(1)} | ${(perStep / convMs).toFixed(3)} | ${(perStep / gmmMs).toFixed(2)} |`,
  );
}
console.log(
  `denoiser call, 64×3×32×32: tfjs 3-layer conv (wasm) ${convMs.toFixed(1)} ms; exact GMM (K=4) ${gmmMs.toFixed(1)} ms`,
);
console.log('| solver | overhead ms/step | ÷ conv call | ÷ GMM call |\n|---|---|---|---|');
console.log(rows.join('\n'));

// Samples per second on the test bed (exact mixture denoiser, float64, batch 4096).
console.log('\n| mixture | solver | NFE | samples/s |\n|---|---|---|---|');
for (const [label, mix] of [
  ['G2', mixtureG2()],
  ['G8', mixtureG8()],
] as const) {
  const xT = mixtureStartPoints(mix.dim, 4096);
  const model = mixtureModel(mix, schedule, 'x0');
  for (const [solver, nfe] of [
    ['dpmpp-2m', 20],
    ['unipc-2', 10],
    ['ddim', 50],
  ] as const) {
    const ms = time(() => sample(model, xT, { solver, nfe, tStart: 1, tEnd: 1e-3 }), 3);
    console.log(
      `| ${label} | ${solver} | ${nfe} | ${Math.round((4096 / ms) * 1000).toLocaleString('en-US')} |`,
    );
  }
}
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
