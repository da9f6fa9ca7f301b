// Benchmark: LoRA training step time vs full fine-tuning step time on the same tfjs model (wasm backend).
// Not part of `pnpm test`. Run: tsx --conditions=@modelsmith/source bench/train-step.ts
import { createRuntime } from '@modelsmith/core-tensor';
import * as tf from '@tensorflow/tfjs';
import { getPeftModel, trainPeftModel, trainVariables } from '../src/index.js';

function mlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1024, activation: 'relu', inputShape: [784], name: 'fc1' }));
  model.add(tf.layers.dense({ units: 1024, activation: 'relu', name: 'fc2' }));
  model.add(tf.layers.dense({ units: 10, name: 'fc3' }));
  return model;
}

async function main() {
  const runtime = await createRuntime({ backend: (process.env.BACKEND as 'wasm') ?? 'wasm', lib: tf });
  const batch = 64;
  const steps = 10;
  const rounds = 5;
  const x = tf.randomNormal([batch * steps, 784], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch * steps], 0, 10, 'int32', 2), 10).toFloat();
  const options = { epochs: 1, batchSize: batch, learningRate: 1e-3, shuffle: false };
  const full = mlp();
  const all = full.trainableWeights.map((w) => w.read() as tf.Variable);
  const peft = getPeftModel(runtime, mlp(), { r: 8, lora_alpha: 16, target_modules: ['fc1', 'fc2', 'fc3'] });
  const runFull = () => trainVariables(runtime, full, all, { inputs: x, targets: y }, options);
  const runLora = () => trainPeftModel(runtime, peft, { inputs: x, targets: y }, options);
  await runFull(); // warm-up
  await runLora();
  // Interleaved rounds: the machine is shared, so compare medians of alternating measurements.
  const fullTimes: number[] = [];
  const loraTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    await runFull();
    fullTimes.push((performance.now() - start) / steps);
    start = performance.now();
    await runLora();
    loraTimes.push((performance.now() - start) / steps);
  }
  const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)]!;
  const fullMs = median(fullTimes);
  const loraMs = median(loraTimes);
  const counts = peft.parameterCounts();
  process.stdout.write(
    `backend ${runtime.backend}; MLP 784-1024-1024-10, batch ${batch}; full FT ${fullMs.toFixed(1)} ms/step; ` +
      `LoRA r=8 (${counts.trainable} trainable of ${counts.total - counts.trainable}) ${loraMs.toFixed(1)} ms/step; ` +
      `ratio LoRA/full ${(loraMs / fullMs).toFixed(2)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
  );
}

main();
