/**
 * Linear-algebra benchmarks. matmul GFLOP/s at 256/512/1024 for this package's float64 loop,
 * ml-matrix's `mmul` (the baseline the ratio refers to), and tfjs float32 on wasm and cpu;
 * SVD / symmetric eigen at 512 as a ratio to ml-matrix's decompositions, assignment as a ratio
 * to one 512 matmul. Run: pnpm tsx --conditions=@modelsmith/source bench/linalg.ts
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import {
  createMatrix,
  createRandom,
  createRuntime,
  type DenseMatrix,
  linearAssignment,
  matmul,
  svd,
  symmetricEigen,
  truncatedSvd,
} from '../src/index.js';

function randomMatrix(n: number, key: string): DenseMatrix {
  const m = createMatrix(n, n);
  createRandom(3, 'linalg-bench', key).fillNormal(m.data);
  return m;
}

function toMl(a: DenseMatrix): Matrix {
  const m = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]!);
  return m;
}

/** Best of `repeats` (after one warm-up run), in seconds. */
function best(run: () => void, repeats: number): number {
  run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, (performance.now() - start) / 1000);
  }
  return fastest;
}

const lines: string[] = [];
const sizes = [256, 512, 1024];
const gflops = (n: number, seconds: number) => (2 * n ** 3) / seconds / 1e9;

const runtimeWasm = await createRuntime({ backend: 'wasm' });
const { tf } = runtimeWasm;
const tfTimes: Record<string, Record<number, number>> = { wasm: {}, cpu: {} };
for (const backend of ['wasm', 'cpu'] as const) {
  await createRuntime({ backend, lib: tf });
  for (const n of sizes) {
    const a = tf.tensor2d(Float32Array.from(randomMatrix(n, 'a').data), [n, n]);
    const b = tf.tensor2d(Float32Array.from(randomMatrix(n, 'b').data), [n, n]);
    tfTimes[backend]![n] = best(
      () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      n >= 1024 && backend === 'cpu' ? 1 : 3,
    );
    tf.dispose([a, b]);
  }
}

lines.push(
  '| n | modelsmith matmul (f64) | ml-matrix mmul (f64, baseline) | tfjs wasm (f32) | tfjs cpu (f32) |',
);
lines.push('| --- | --- | --- | --- | --- |');
for (const n of sizes) {
  const a = randomMatrix(n, 'a');
  const b = randomMatrix(n, 'b');
  const repeats = n >= 1024 ? 1 : 3;
  const mine = best(() => matmul(a, b), repeats);
  const ma = toMl(a);
  const mb = toMl(b);
  const ml = best(() => ma.mmul(mb), repeats);
  const cell = (s: number) => `${gflops(n, s).toFixed(2)} GFLOP/s (${(ml / s).toFixed(2)}×)`;
  lines.push(
    `| ${n} | ${cell(mine)} | ${gflops(n, ml).toFixed(2)} GFLOP/s (1×) | ${cell(tfTimes.wasm![n]!)} | ${cell(tfTimes.cpu![n]!)} |`,
  );
}

const n = 512;
const a = randomMatrix(n, 'svd');
const matmul512 = best(() => matmul(a, a), 2);
const svdSeconds = best(() => svd(a), 1);
const svdEconomy = best(() => svd(a, { economy: true }), 1);
const mlA = toMl(a);
const mlSvd = best(() => new SingularValueDecomposition(mlA, { autoTranspose: false }), 1);
const sym = createMatrix(
  n,
  n,
  a.data.map((v, i) => v + a.data[(i % n) * n + Math.floor(i / n)]!),
);
const eigSeconds = best(() => symmetricEigen(sym), 1);
const mlEig = best(() => new EigenvalueDecomposition(toMl(sym), { assumeSymmetric: true }), 1);
const randomized512 = best(() => truncatedSvd(a, 16, { method: 'randomized', seed: 1 }), 1);
const big = randomMatrix(2048, 'big');
const randomized2048 = best(() => truncatedSvd(big, 32, { method: 'randomized', seed: 1 }), 1);
const lapSeconds = best(() => linearAssignment(a), 1);
const lap1024 = best(() => linearAssignment(randomMatrix(1024, 'lap')), 1);

lines.push('');
lines.push('| 512×512 | modelsmith seconds | baseline | ratio |');
lines.push('| --- | --- | --- | --- |');
lines.push(
  `| svd (full) | ${svdSeconds.toFixed(3)} | ml-matrix SVD ${mlSvd.toFixed(3)} s | ${(svdSeconds / mlSvd).toFixed(2)} |`,
);
lines.push(
  `| svd (economy) | ${svdEconomy.toFixed(3)} | ml-matrix SVD ${mlSvd.toFixed(3)} s | ${(svdEconomy / mlSvd).toFixed(2)} |`,
);
lines.push(
  `| symmetricEigen | ${eigSeconds.toFixed(3)} | ml-matrix EVD ${mlEig.toFixed(3)} s | ${(eigSeconds / mlEig).toFixed(2)} |`,
);
lines.push(
  `| linearAssignment | ${lapSeconds.toFixed(3)} | one 512 matmul ${matmul512.toFixed(3)} s | ${(lapSeconds / matmul512).toFixed(2)} |`,
);
lines.push(
  `| truncatedSvd rank 16, randomized | ${randomized512.toFixed(3)} | exact economy svd ${svdEconomy.toFixed(3)} s | ${(randomized512 / svdEconomy).toFixed(3)} |`,
);
lines.push(`| truncatedSvd rank 32, randomized, 2048×2048 | ${randomized2048.toFixed(3)} | | |`);
lines.push(`| linearAssignment 1024×1024 | ${lap1024.toFixed(3)} | | |`);
lines.push('');
lines.push(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
process.stdout.write(`${lines.join('\n')}\n`);
