import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialNoise, vpLinearSchedule } from '@modelsmith/diffusion';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const MU = [0.5, -0.25];
let dir = '';

/** argv of `diffusion sample` on the saved model in `dir` (shape 2) plus space-separated `flags`. */
const sampleArgv = (flags: string) => [
  'diffusion',
  'sample',
  '--model',
  '.',
  '--shape',
  '2',
  ...flags.split(' '),
];

/** Saves a tiny two-input (x, t) Layers model whose x0 prediction is the constant MU, as model.json + weights.bin. */
async function saveConstantModel(path: string): Promise<void> {
  const x = tf.input({ shape: [2] });
  const t = tf.input({ shape: [1] });
  const joined = tf.layers.concatenate().apply([x, t]) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 2, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  const model = tf.model({ inputs: [x, t], outputs: dense.apply(joined) as tf.SymbolicTensor });
  dense.setWeights([tf.zeros([3, 2]), tf.tensor1d(MU)]);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(
        join(path, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      writeFileSync(join(path, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'diffusion-sample-'));
  await saveConstantModel(dir);
});

describe('modelsmith diffusion sample', () => {
  it('loads model.json + weights with tf.io.fromMemory; one-point data is solved exactly', async () => {
    const { code, stderr } = await runCli(
      sampleArgv('--prediction x0 --solver dpmpp-2m --steps 5 --batch 3 --seed 7 -o out.json'),
      dir,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
      samples: number[][];
      nfe: number;
    };
    expect(out.nfe).toBe(5);
    // Exact ODE solution for a point mass at MU: x_t = alpha_t MU + (sigma_t/sigma_s)(x_s - alpha_s MU).
    const s = vpLinearSchedule();
    const xT = initialNoise(7, 3, 2);
    out.samples.forEach((sampleValues, p) => {
      sampleValues.forEach((v, i) => {
        const expected =
          s.alpha(1e-3) * MU[i]! + (s.sigma(1e-3) / s.sigma(1)) * (xT[p * 2 + i]! - s.alpha(1) * MU[i]!);
        expect(v).toBeCloseTo(expected, 6);
      });
    });
  });

  it('a sample does not depend on the batch size', async () => {
    const run = async (batch: string, file: string) => {
      await runCli(sampleArgv(`--solver ddim --steps 4 --batch ${batch} --seed 3 -o ${file}`), dir);
      return (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { samples: number[][] }).samples;
    };
    const one = await run('1', 'b1.json');
    const four = await run('4', 'b4.json');
    expect(four[0]).toEqual(one[0]);
  });

  it('runs a stochastic sampler (DDPM) with per-sample noise; one-point data ends near MU', async () => {
    const { code } = await runCli(
      sampleArgv('--prediction x0 --solver ddpm --steps 50 --batch 20 --seed 4 -o ddpm.json'),
      dir,
    );
    expect(code).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'ddpm.json'), 'utf8')) as {
      samples: number[][];
      nfe: number;
    };
    expect(out.nfe).toBe(50);
    // At t = 1e-3, sigma ≈ 0.0105: every coordinate lies within 6 sigma of alpha·MU.
    for (const s of out.samples) {
      for (let i = 0; i < 2; i++) expect(Math.abs(s[i]! - MU[i]!)).toBeLessThan(0.065);
    }
  });

  it('runs SA-Solver (stochastic, tau = 1) with per-sample noise; one-point data ends near MU', async () => {
    const { code } = await runCli(
      sampleArgv('--prediction x0 --solver sa-solver --steps 30 --batch 20 --seed 5 -o sa.json'),
      dir,
    );
    expect(code).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'sa.json'), 'utf8')) as {
      samples: number[][];
      nfe: number;
    };
    expect(out.nfe).toBe(30);
    // Same bound as DDPM: at t = 1e-3, sigma ≈ 0.0105, every coordinate lies within 6 sigma of alpha·MU.
    for (const s of out.samples) {
      for (let i = 0; i < 2; i++) expect(Math.abs(s[i]! - MU[i]!)).toBeLessThan(0.065);
    }
  });

  it('reports a missing model and an existing output as user errors', async () => {
    const missing = await runCli(
      ['diffusion', 'sample', '--model', 'nowhere', '--shape', '2', '-o', 'x.json'],
      dir,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read tfjs model/);
    writeFileSync(join(dir, 'exists.json'), '{}');
    const exists = await runCli(sampleArgv('-o exists.json'), dir);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/--force/);
  });
});
