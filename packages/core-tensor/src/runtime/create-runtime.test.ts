import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMatrix, type DenseMatrix, transpose } from '../linalg/dense-matrix.js';
import { matmul } from '../linalg/matmul.js';
import { createRandom } from '../random/keyed-random.js';
import { createTensor } from '../tensor.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { fromTf, toTf } from './tf-bridge.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function randomMatrix(rows: number, cols: number, key: string): DenseMatrix {
  const random = createRandom(2026, key);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.fround(2 * random.uniform(i) - 1);
  return m;
}

/** |got − want| ≤ 1e-5·(Σ|a||b|) per entry: float32 rounding over an inner size of 24 is below 24·2⁻²⁴ ≈ 1.4e-6 of it. */
function expectFloat32Close(got: Float32Array, want: DenseMatrix, magnitude: DenseMatrix): void {
  expect(got.length).toBe(want.data.length);
  for (let i = 0; i < got.length; i++) {
    expect(Math.abs(got[i]! - want.data[i]!)).toBeLessThanOrEqual(1e-5 * magnitude.data[i]! + 1e-30);
  }
}

const absolute = (m: DenseMatrix): DenseMatrix => ({ ...m, data: m.data.map(Math.abs) });

async function checkMatmulAndGradient(runtime: Runtime): Promise<void> {
  const { tf } = runtime;
  const x = randomMatrix(16, 24, 'x');
  const w = randomMatrix(24, 8, 'w');
  const before = tf.memory().numTensors;
  const [product, gradient] = tf.tidy(() => {
    const xt = tf.tensor2d(Float32Array.from(x.data), [16, 24]);
    const wt = tf.tensor2d(Float32Array.from(w.data), [24, 8]);
    // f(W) = ½‖XW‖²_F has gradient Xᵀ(XW).
    const grad = tf.grad((v) => tf.sum(tf.square(tf.matMul(xt, v))).mul(0.5))(wt);
    return [tf.matMul(xt, wt), grad];
  });
  const xw = matmul(x, w);
  expectFloat32Close(product.dataSync() as Float32Array, xw, matmul(absolute(x), absolute(w)));
  const expectedGradient = matmul(transpose(x), xw);
  const gradientScale = matmul(transpose(absolute(x)), matmul(absolute(x), absolute(w)));
  expectFloat32Close(gradient.dataSync() as Float32Array, expectedGradient, gradientScale);
  tf.dispose([product, gradient]);
  expect(tf.memory().numTensors).toBe(before);
}

describe('createRuntime', () => {
  it('auto skips the node backends (not installed here) and chooses wasm, reporting why', async () => {
    const runtime = await createRuntime();
    expect(runtime.backend).toBe('wasm');
    expect(runtime.tf.getBackend()).toBe('wasm');
    expect(runtime.report.map((entry) => [entry.backend, entry.chosen])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['wasm', true],
      ['cpu', false],
    ]);
    expect(runtime.report[0]!.reason).toMatch(
      /@tensorflow\/tfjs-node-gpu is not installed \(pnpm add @tensorflow\/tfjs-node-gpu\)/,
    );
    expect(runtime.report[1]!.reason).toMatch(
      /@tensorflow\/tfjs-node is not installed \(pnpm add @tensorflow\/tfjs-node\)/,
    );
    expect(runtime.report[2]!.reason).toMatch(
      /tfjs-backend-wasm initialised from .*dist.* \((no )?SIMD, \d+ threads?\)/,
    );
    expect(runtime.report[3]!.reason).toMatch(/not tried/);
  });

  it("an explicit 'node' backend is E_BACKEND_UNAVAILABLE with the install command", async () => {
    await expect(createRuntime({ backend: 'node' })).rejects.toMatchObject({
      code: 'E_BACKEND_UNAVAILABLE',
      message: expect.stringContaining('pnpm add @tensorflow/tfjs-node'),
    });
  });

  it('rejects an unknown backend name as invalid options', async () => {
    await expect(createRuntime({ backend: 'gpu' as 'cpu' })).rejects.toMatchObject({
      code: 'E_INVALID_OPTIONS',
    });
  });

  it('wasm: matmul and tf.grad match a float64 reference; no tensors leak', async () => {
    const runtime = await createRuntime({ backend: 'wasm' });
    expect(runtime.tf.getBackend()).toBe('wasm');
    await checkMatmulAndGradient(runtime);
  });

  it('cpu: matmul and tf.grad match a float64 reference; no tensors leak', async () => {
    const runtime = await createRuntime({ backend: 'cpu' });
    expect(runtime.tf.getBackend()).toBe('cpu');
    await checkMatmulAndGradient(runtime);
  });

  it('an explicitly passed lib is the namespace used', async () => {
    const tf = await import('@tensorflow/tfjs');
    const runtime = await createRuntime({ backend: 'cpu', lib: tf });
    expect(runtime.tf).toBe(tf);
  });

  it('toTf/fromTf bridge host tensors, decoding BF16 exactly', async () => {
    const runtime = await createRuntime({ backend: 'wasm' });
    const { tf } = runtime;
    const before = tf.memory().numTensors;
    // BF16 bits: 0x3f80 = 1, 0xc040 = −3, 0x3e20 = 0.15625, 0x7f80 = +Inf (hand-decoded).
    const host = createTensor('BF16', [2, 2], Uint16Array.of(0x3f80, 0xc040, 0x3e20, 0x7f80));
    const t = toTf(runtime, host);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float32');
    const back = await fromTf(t);
    t.dispose();
    expect(back.dtype).toBe('F32');
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data as Float32Array)).toEqual([1, -3, 0.15625, Number.POSITIVE_INFINITY]);
    const ints = tf.tensor1d([1, 2, 3], 'int32');
    expect(Array.from((await fromTf(ints)).data as Float32Array)).toEqual([1, 2, 3]);
    ints.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('importing the package registers no backend (nothing touches tfjs at import time)', () => {
    const script =
      "await import('./src/index.ts'); process.stdout.write(String(globalThis._tfengine === undefined && !Object.keys(globalThis).some((k) => k.startsWith('_tf'))));";
    const output = execFileSync(
      process.execPath,
      ['--conditions=@modelsmith/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: packageRoot,
        encoding: 'utf8',
      },
    );
    expect(output).toBe('true');
  });
});
