import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat32, openCheckpoint, toFloat32, writeSafetensorsFile } from '@modelsmith/core-tensor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyAdapterToCheckpoint,
  getPeftModel,
  loadAdapter,
  saveAdapter,
  trainPeftModel,
} from '../src/index.js';
import { cpuRuntime, lcg, maxAbsDiff, tinyMlp } from './helpers.js';

let runtime: Awaited<ReturnType<typeof cpuRuntime>>;
beforeAll(async () => {
  runtime = await cpuRuntime();
});

/** tfjs Dense kernel [in, out] → PyTorch Linear weight [out, in]. */
function torchWeight(kernel: tf.Tensor): Float32Array {
  return Float32Array.from(tf.transpose(kernel).dataSync());
}

describe('tfjs training → PEFT adapter on disk → checkpoint merge', () => {
  for (const useDora of [false, true]) {
    it(`${useDora ? 'DoRA' : 'LoRA'}: applying the saved adapter to a PyTorch-layout checkpoint equals the tfjs merge`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'peft-e2e-'));
      const model = tinyMlp();
      const weights = model.getWeights();
      // The same base model as a PyTorch-layout safetensors checkpoint (Linear weights [out, in]).
      await writeSafetensorsFile(join(dir, 'base.safetensors'), {
        'fc1.weight': fromFloat32(torchWeight(weights[0]!), 'F32', [8, 6]),
        'fc1.bias': fromFloat32(Float32Array.from(weights[1]!.dataSync()), 'F32', [8]),
        'fc2.weight': fromFloat32(torchWeight(weights[2]!), 'F32', [4, 8]),
        'fc2.bias': fromFloat32(Float32Array.from(weights[3]!.dataSync()), 'F32', [4]),
      });
      const peft = getPeftModel(
        runtime,
        model,
        { r: 2, lora_alpha: 8, target_modules: ['fc1', 'fc2'], use_dora: useDora },
        { seed: 4 },
      );
      const events: number[] = [];
      await trainPeftModel(
        runtime,
        peft,
        {
          inputs: tf.tensor2d(lcg(30, 1), [5, 6]),
          targets: tf.tensor2d(lcg(20, 2), [5, 4]),
          onProgress: (e) => events.push(e.done / e.total),
        },
        { loss: 'meanSquaredError', learningRate: 0.05, epochs: 8, batchSize: 5 },
      );
      expect(events.at(-1)).toBe(1);
      await saveAdapter(join(dir, 'adapter'), peft.getAdapter());
      const adapter = await loadAdapter(join(dir, 'adapter'));
      expect(adapter.config.use_dora).toBe(useDora);
      await applyAdapterToCheckpoint({
        base: join(dir, 'base.safetensors'),
        adapter: join(dir, 'adapter'),
        output: join(dir, 'merged'),
      });
      peft.merge();
      const merged = await openCheckpoint(join(dir, 'merged'));
      const tfMerged = model.getWeights();
      expect(maxAbsDiff(toFloat32(await merged.read('fc1.weight')), torchWeight(tfMerged[0]!))).toBeLessThan(
        1e-5,
      );
      expect(maxAbsDiff(toFloat32(await merged.read('fc2.weight')), torchWeight(tfMerged[2]!))).toBeLessThan(
        1e-5,
      );
      expect(toFloat32(await merged.read('fc1.bias'))).toEqual(Float32Array.from(tfMerged[1]!.dataSync()));
      await merged.close();
    });
  }
});
