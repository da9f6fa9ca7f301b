/**
 * Writes examples/tiny.safetensors, the small checkpoint the README quick start inspects:
 * a toy two-layer transformer-shaped model in BF16/F16/F32 with an I64 and a BOOL buffer.
 * Deterministic (seeded), so re-running it reproduces the committed file byte for byte.
 *
 *   pnpm tsx examples/make-example-checkpoint.ts [out.safetensors]
 */
import { resolve } from 'node:path';
import {
  createRandom,
  createTensor,
  fromFloat32,
  type Tensor,
  writeSafetensorsFile,
} from '../packages/core-tensor/src/index.js';

const seed = 20260101;
const vocab = 64;
const hidden = 16;
const ffn = 32;

function gaussian(name: string, shape: number[], std: number, dtype: 'BF16' | 'F16' | 'F32'): Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRandom(seed, name).fillNormal(values);
  for (let i = 0; i < values.length; i++) values[i]! *= std;
  return fromFloat32(values, dtype, shape);
}

const tensors: Record<string, Tensor> = {
  'embed_tokens.weight': gaussian('embed_tokens.weight', [vocab, hidden], 0.02, 'BF16'),
  'norm.weight': fromFloat32(new Float32Array(hidden).fill(1), 'F32', [hidden]),
  'lm_head.weight': gaussian('lm_head.weight', [vocab, hidden], 0.02, 'BF16'),
  position_ids: createTensor(
    'I64',
    [1, 8],
    BigInt64Array.from({ length: 8 }, (_, i) => BigInt(i)),
  ),
  attention_mask: createTensor('BOOL', [8], Uint8Array.of(1, 1, 1, 1, 1, 1, 0, 0)),
};
for (let layer = 0; layer < 2; layer++) {
  const p = `layers.${layer}`;
  tensors[`${p}.attn.qkv.weight`] = gaussian(`${p}.attn.qkv.weight`, [3 * hidden, hidden], 0.05, 'F16');
  tensors[`${p}.attn.out.weight`] = gaussian(`${p}.attn.out.weight`, [hidden, hidden], 0.05, 'F16');
  tensors[`${p}.mlp.up.weight`] = gaussian(`${p}.mlp.up.weight`, [ffn, hidden], 0.05, 'F32');
  tensors[`${p}.mlp.up.bias`] = gaussian(`${p}.mlp.up.bias`, [ffn], 0.01, 'F32');
  tensors[`${p}.mlp.down.weight`] = gaussian(`${p}.mlp.down.weight`, [hidden, ffn], 0.05, 'F32');
  tensors[`${p}.norm.weight`] = fromFloat32(new Float32Array(hidden).fill(1), 'F32', [hidden]);
}

const out = resolve(process.argv[2] ?? new URL('./tiny.safetensors', import.meta.url).pathname);
await writeSafetensorsFile(out, tensors, {
  format: 'pt',
  source: 'modelsmith examples/make-example-checkpoint.ts',
});
process.stdout.write(`wrote ${out}\n`);
