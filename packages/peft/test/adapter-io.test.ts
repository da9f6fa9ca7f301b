import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  adapterFromStateDict,
  adapterToStateDict,
  decodeAdapter,
  encodeAdapter,
  floatTensor,
  type LoraAdapter,
  type LoraModuleWeights,
  loadAdapter,
  loraDeltaWeight,
  parseLoraConfig,
  saveAdapter,
} from '../src/index.js';

function ramp(n: number, offset = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i + 1 + offset) / 8);
}

function sampleAdapter(): LoraAdapter {
  const config = parseLoraConfig({
    peft_type: 'LORA',
    r: 2,
    lora_alpha: 4,
    target_modules: ['q_proj', 'embed_tokens', 'conv'],
    rank_pattern: { 'layers.1.q_proj': 1 },
    use_dora: false,
    modules_to_save: ['classifier'],
    task_type: 'CAUSAL_LM',
  });
  const modules = new Map<string, LoraModuleWeights>([
    [
      'model.layers.0.q_proj',
      { kind: 'linear', loraA: floatTensor([2, 3], ramp(6)), loraB: floatTensor([4, 2], ramp(8, 1)) },
    ],
    [
      'model.layers.1.q_proj',
      { kind: 'linear', loraA: floatTensor([1, 3], ramp(3)), loraB: floatTensor([4, 1], ramp(4)) },
    ],
    [
      'model.embed_tokens',
      { kind: 'embedding', loraA: floatTensor([2, 5], ramp(10)), loraB: floatTensor([3, 2], ramp(6)) },
    ],
    [
      'model.conv',
      {
        kind: 'conv2d',
        loraA: floatTensor([2, 3, 3, 3], ramp(54)),
        loraB: floatTensor([4, 2, 1, 1], ramp(8)),
      },
    ],
  ]);
  const savedModules = new Map([
    ['classifier.weight', floatTensor([2, 4], ramp(8))],
    ['classifier.bias', floatTensor([2], ramp(2))],
  ]);
  return { config, modules, savedModules };
}

describe('PEFT key names and shapes', () => {
  it('writes exactly the keys and shapes of spec §1.3', () => {
    const state = adapterToStateDict(sampleAdapter());
    const shapes = Object.fromEntries([...state].map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      'base_model.model.model.layers.0.q_proj.lora_A.weight': [2, 3],
      'base_model.model.model.layers.0.q_proj.lora_B.weight': [4, 2],
      'base_model.model.model.layers.1.q_proj.lora_A.weight': [1, 3],
      'base_model.model.model.layers.1.q_proj.lora_B.weight': [4, 1],
      'base_model.model.model.embed_tokens.lora_embedding_A': [2, 5],
      'base_model.model.model.embed_tokens.lora_embedding_B': [3, 2],
      'base_model.model.model.conv.lora_A.weight': [2, 3, 3, 3],
      'base_model.model.model.conv.lora_B.weight': [4, 2, 1, 1],
      'base_model.model.classifier.weight': [2, 4],
      'base_model.model.classifier.bias': [2],
    });
  });

  it('writes the DoRA magnitude without a .weight suffix', () => {
    const config = parseLoraConfig({ peft_type: 'LORA', r: 1, target_modules: ['fc'], use_dora: true });
    const module: LoraModuleWeights = {
      kind: 'linear',
      loraA: floatTensor([1, 2], ramp(2)),
      loraB: floatTensor([3, 1], ramp(3)),
      magnitude: floatTensor([3], ramp(3)),
    };
    const state = adapterToStateDict({ config, modules: new Map([['fc', module]]), savedModules: new Map() });
    expect([...state.keys()]).toContain('base_model.model.fc.lora_magnitude_vector');
    const back = adapterFromStateDict(config, state);
    expect(back.modules.get('fc')!.magnitude!.data).toEqual(module.magnitude!.data);
  });
});

describe('adapter round trips', () => {
  it('encode → decode → encode preserves bytes, tensors and config', () => {
    const adapter = sampleAdapter();
    const first = encodeAdapter(adapter);
    const decoded = decodeAdapter(first.config, first.weights);
    expect(decoded.config).toEqual(adapter.config);
    for (const [path, module] of adapter.modules) {
      const got = decoded.modules.get(path)!;
      expect(got.kind).toBe(module.kind);
      expect(got.loraA).toEqual(module.loraA);
      expect(got.loraB).toEqual(module.loraB);
    }
    expect(decoded.savedModules).toEqual(adapter.savedModules);
    const second = encodeAdapter(decoded);
    expect(second.config).toBe(first.config);
    expect(Buffer.from(second.weights).equals(Buffer.from(first.weights))).toBe(true);
  });

  it('save → load → save on disk, with non-default adapters in a subfolder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peft-io-'));
    const adapter = sampleAdapter();
    await saveAdapter(dir, adapter);
    await saveAdapter(dir, adapter, { adapterName: 'other', dtype: 'BF16' });
    const loaded = await loadAdapter(dir);
    expect(loaded.modules.get('model.layers.0.q_proj')!.loraB).toEqual(
      adapter.modules.get('model.layers.0.q_proj')!.loraB,
    );
    const other = await loadAdapter(dir, { adapterName: 'other' });
    // ramp values k/8 are exact in bfloat16 (≤ 8 significant bits).
    expect(other.modules.get('model.conv')!.loraA.data).toEqual(
      adapter.modules.get('model.conv')!.loraA.data,
    );
    const file = readFileSync(join(dir, 'other', 'adapter_model.safetensors'));
    const header = JSON.parse(file.subarray(8, 8 + Number(file.readBigUInt64LE(0))).toString('utf8'));
    expect(header['base_model.model.model.conv.lora_A.weight'].dtype).toBe('BF16');
    const dir2 = mkdtempSync(join(tmpdir(), 'peft-io-'));
    await saveAdapter(dir2, loaded);
    expect(
      readFileSync(join(dir2, 'adapter_model.safetensors')).equals(
        readFileSync(join(dir, 'adapter_model.safetensors')),
      ),
    ).toBe(true);
    expect(readFileSync(join(dir2, 'adapter_config.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'adapter_config.json'), 'utf8'),
    );
    await expect(saveAdapter(dir, adapter)).rejects.toThrow(/already exists/);
  });

  it('reads a fixture built byte by byte from the spec: F16, adapter-name segments, older magnitude key', () => {
    // Independent of our encoder: header JSON + little-endian float16 data written by hand.
    // fp16 bits: 1.0 = 0x3c00, 2.0 = 0x4000, -0.5 = 0xb800, 0.25 = 0x3400.
    const header = {
      __metadata__: { format: 'pt' },
      'base_model.model.fc.lora_A.default.weight': { dtype: 'F16', shape: [1, 2], data_offsets: [0, 4] },
      'base_model.model.fc.lora_B.default.weight': { dtype: 'F16', shape: [2, 1], data_offsets: [4, 8] },
      'base_model.model.fc.lora_magnitude_vector.default.weight': {
        dtype: 'F16',
        shape: [2],
        data_offsets: [8, 12],
      },
    };
    const json = Buffer.from(JSON.stringify(header));
    const bytes = Buffer.alloc(8 + json.length + 12);
    bytes.writeBigUInt64LE(BigInt(json.length), 0);
    json.copy(bytes, 8);
    const halves = [0x3c00, 0x4000, 0xb800, 0x3400, 0x3c00, 0x4000];
    for (let i = 0; i < halves.length; i++) bytes.writeUInt16LE(halves[i]!, 8 + json.length + 2 * i);
    const dir = mkdtempSync(join(tmpdir(), 'peft-fixture-'));
    writeFileSync(join(dir, 'adapter_model.safetensors'), bytes);
    const config =
      '{"peft_type": "LORA", "r": 1, "lora_alpha": 2, "target_modules": ["fc"], "use_dora": true}';
    const adapter = decodeAdapter(config, new Uint8Array(bytes));
    const fc = adapter.modules.get('fc')!;
    expect([...fc.loraA.data]).toEqual([1, 2]);
    expect([...fc.loraB.data]).toEqual([-0.5, 0.25]);
    expect([...fc.magnitude!.data]).toEqual([1, 2]);
    // ΔW = (α/r)·B·A = 2·[[-0.5, -1], [0.25, 0.5]]
    expect([...loraDeltaWeight(fc, 2)]).toEqual([-1, -2, 0.5, 1]);
  });
});

describe('delta weights', () => {
  it('linear: s·B·A [out, in]; fan_in_fan_out gives the transpose', () => {
    const module: LoraModuleWeights = {
      kind: 'linear',
      loraA: floatTensor([1, 3], Float32Array.of(1, 2, 3)),
      loraB: floatTensor([2, 1], Float32Array.of(1, 2)),
    };
    expect([...loraDeltaWeight(module, 2)]).toEqual([2, 4, 6, 4, 8, 12]);
    expect([...loraDeltaWeight(module, 2, true)]).toEqual([2, 4, 4, 8, 6, 12]);
  });

  it('embedding: s·(B·A)ᵀ [num_embeddings, dim]', () => {
    // A [r=1, num=2] = [[1, 3]], B [dim=2, r=1] = [[2], [5]]; B·A = [[2, 6], [5, 15]]; transpose = [[2, 5], [6, 15]].
    const module: LoraModuleWeights = {
      kind: 'embedding',
      loraA: floatTensor([1, 2], Float32Array.of(1, 3)),
      loraB: floatTensor([2, 1], Float32Array.of(2, 5)),
    };
    expect([...loraDeltaWeight(module, 1)]).toEqual([2, 5, 6, 15]);
  });
});

describe('bad input names the tensor', () => {
  const config = parseLoraConfig({ peft_type: 'LORA', r: 2, target_modules: ['fc'] });
  const a = floatTensor([2, 3], ramp(6));
  const tensors = (entries: [string, ReturnType<typeof floatTensor>][]) => new Map(entries);

  it('B whose rank differs from A', () => {
    expect(() =>
      adapterFromStateDict(
        config,
        tensors([
          ['base_model.model.fc.lora_A.weight', a],
          ['base_model.model.fc.lora_B.weight', floatTensor([4, 3], ramp(12))],
        ]),
      ),
    ).toThrow(/"base_model\.model\.fc\.lora_B\.weight" has shape \[4, 3\]/);
  });

  it('rank that disagrees with r', () => {
    const wrongRank = parseLoraConfig({ peft_type: 'LORA', r: 4, target_modules: ['fc'] });
    expect(() =>
      adapterFromStateDict(
        wrongRank,
        tensors([
          ['base_model.model.fc.lora_A.weight', a],
          ['base_model.model.fc.lora_B.weight', floatTensor([4, 2], ramp(8))],
        ]),
      ),
    ).toThrow(/"base_model\.model\.fc\.lora_A\.weight" has rank 2 but adapter_config\.json gives r=4/);
  });

  it('a missing partner, an unknown key, a module outside target_modules', () => {
    expect(() => adapterFromStateDict(config, tensors([['base_model.model.fc.lora_A.weight', a]]))).toThrow(
      /has no matching "base_model\.model\.fc\.lora_B\.weight"/,
    );
    expect(() => adapterFromStateDict(config, tensors([['base_model.model.fc.weight', a]]))).toThrow(
      /"base_model\.model\.fc\.weight" is neither/,
    );
    expect(() => adapterFromStateDict(config, tensors([['fc.lora_A.weight', a]]))).toThrow(
      /"fc\.lora_A\.weight" does not start with/,
    );
    expect(() =>
      adapterFromStateDict(
        config,
        tensors([
          ['base_model.model.other.lora_A.weight', a],
          ['base_model.model.other.lora_B.weight', floatTensor([4, 2], ramp(8))],
        ]),
      ),
    ).toThrow(/module "other".*not matched by target_modules/);
  });

  it('a directory without the weights file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peft-bad-'));
    writeFileSync(join(dir, 'adapter_config.json'), '{"peft_type":"LORA","target_modules":["fc"]}');
    await expect(loadAdapter(dir)).rejects.toThrow(/no adapter_model\.safetensors/);
    writeFileSync(join(dir, 'adapter_model.bin'), '');
    await expect(loadAdapter(dir)).rejects.toThrow(/adapter_model\.bin \(PyTorch pickle\)/);
  });
});
