import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFloat32, type Tensor, writeSafetensorsFile } from '@modelsmith/core-tensor';
import { pseudoRandom } from './helpers.js';

const created: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirectories` (call it in afterAll). */
export function tempDirectory(prefix = 'merge-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}

export function removeTempDirectories(): void {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/** Tensor names and shapes of a tiny llama-like model. */
export function tinyModelShapes(layers: number, hidden = 8, vocab = 16): Record<string, number[]> {
  const shapes: Record<string, number[]> = {
    'model.embed_tokens.weight': [vocab, hidden],
    'model.norm.weight': [hidden],
    'lm_head.weight': [vocab, hidden],
  };
  for (let i = 0; i < layers; i++) {
    shapes[`model.layers.${i}.self_attn.q_proj.weight`] = [hidden, hidden];
    shapes[`model.layers.${i}.mlp.up_proj.weight`] = [2 * hidden, hidden];
    shapes[`model.layers.${i}.input_layernorm.weight`] = [hidden];
  }
  return shapes;
}

/** Writes a tiny BF16 model directory (model.safetensors + config.json + tokenizer.json); returns its path. */
export async function writeTinyModel(
  directory: string,
  seed: number,
  options: {
    layers?: number;
    vocab?: number;
    dtype?: 'BF16' | 'F32' | 'F16';
    extra?: Record<string, Tensor>;
    drop?: string[];
  } = {},
): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const layers = options.layers ?? 4;
  const tensors: Record<string, Tensor> = {};
  let k = 0;
  for (const [name, shape] of Object.entries(tinyModelShapes(layers, 8, options.vocab ?? 16))) {
    if (options.drop?.includes(name)) continue;
    const n = shape.reduce((a, b) => a * b, 1);
    tensors[name] = fromFloat32(pseudoRandom(n, seed * 1000 + k++), options.dtype ?? 'BF16', shape);
  }
  Object.assign(tensors, options.extra ?? {});
  await writeSafetensorsFile(join(directory, 'model.safetensors'), tensors);
  writeFileSync(
    join(directory, 'config.json'),
    JSON.stringify({ num_hidden_layers: layers, torch_dtype: 'bfloat16', vocab_size: options.vocab ?? 16 }),
  );
  writeFileSync(join(directory, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE' }, seed }));
  return directory;
}
