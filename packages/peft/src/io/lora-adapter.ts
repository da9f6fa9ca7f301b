import type { LoraConfig } from '../config/lora-config.js';
import { isTargetModule, matchesModuleList, moduleLoraParameters } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { doraMagnitudeShape, doraOutputName, isDoraMagnitudeShape } from './dora-magnitude-shape.js';
import type { FloatTensor } from './float-tensor.js';

export type LoraModuleKind = 'linear' | 'embedding' | 'conv2d';

/** The LoRA factors of one module, in PEFT/PyTorch orientation (as stored on disk). */
export interface LoraModuleWeights {
  readonly kind: LoraModuleKind;
  /** linear `[r, in]`; conv2d `[r, in, kh, kw]`; embedding (`lora_embedding_A`) `[r, num_embeddings]`. */
  readonly loraA: FloatTensor;
  /** linear `[out, r]`; conv2d `[out, r, 1, 1]`; embedding (`lora_embedding_B`) `[embedding_dim, r]`. */
  readonly loraB: FloatTensor;
  /** `lora_B.bias` `[out]` when `lora_bias` is set. */
  readonly loraBias?: FloatTensor;
  /**
   * DoRA `lora_magnitude_vector`: linear `[out]`; embedding `[embedding_dim]` (norm per dimension over
   * the vocabulary); conv2d `[1, out, 1, 1]` as PEFT writes it (`[out]` is also read).
   */
  readonly magnitude?: FloatTensor;
}

/** A LoRA adapter in memory: config plus factors per module path (without the `base_model.model.` prefix). */
export interface LoraAdapter {
  readonly config: LoraConfig;
  readonly modules: ReadonlyMap<string, LoraModuleWeights>;
  /** Full copies from `modules_to_save`, keyed `<module>.<param>` (e.g. `classifier.weight`). */
  readonly savedModules: ReadonlyMap<string, FloatTensor>;
}

export const KEY_PREFIX = 'base_model.model.';

/** The safetensors keys of one module, exactly as PEFT writes them. */
export function loraModuleKeys(
  path: string,
  kind: LoraModuleKind,
): { a: string; b: string; bias: string; magnitude: string } {
  const base = `${KEY_PREFIX}${path}`;
  if (kind === 'embedding') {
    return {
      a: `${base}.lora_embedding_A`,
      b: `${base}.lora_embedding_B`,
      bias: `${base}.lora_embedding_B.bias`,
      magnitude: `${base}.lora_magnitude_vector`,
    };
  }
  return {
    a: `${base}.lora_A.weight`,
    b: `${base}.lora_B.weight`,
    bias: `${base}.lora_B.bias`,
    magnitude: `${base}.lora_magnitude_vector`,
  };
}

/** Flattens an adapter into PEFT's state dict (keys → tensors). */
export function adapterToStateDict(adapter: LoraAdapter): Map<string, FloatTensor> {
  const out = new Map<string, FloatTensor>();
  for (const [path, module] of adapter.modules) {
    const keys = loraModuleKeys(path, module.kind);
    out.set(keys.a, module.loraA);
    out.set(keys.b, module.loraB);
    if (module.loraBias) out.set(keys.bias, module.loraBias);
    if (module.magnitude) out.set(keys.magnitude, module.magnitude);
  }
  for (const [name, tensor] of adapter.savedModules) out.set(`${KEY_PREFIX}${name}`, tensor);
  return out;
}

type Part = 'A' | 'B' | 'bias' | 'magnitude' | 'embA' | 'embB';

// Adapter-name segments (e.g. `.default`) are optional on read: PEFT strips them on save, older files keep them.
const PARTS: readonly [RegExp, Part][] = [
  [/^(.+)\.lora_A(?:\.[^.]+)?\.weight$/, 'A'],
  [/^(.+)\.lora_B(?:\.[^.]+)?\.weight$/, 'B'],
  [/^(.+)\.lora_B(?:\.[^.]+)?\.bias$/, 'bias'],
  [/^(.+)\.lora_embedding_A(?:\.[^.]+)?$/, 'embA'],
  [/^(.+)\.lora_embedding_B(?:\.[^.]+)?$/, 'embB'],
  [/^(.+)\.lora_magnitude_vector(?:\.[^.]+)?(?:\.weight)?$/, 'magnitude'],
];

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Builds an adapter from PEFT's state dict, checking every key, the pairing of A and B, ranks
 * against `r`/`rank_pattern`, and `target_modules`. Errors name the offending tensor.
 */
export function adapterFromStateDict(
  config: LoraConfig,
  tensors: ReadonlyMap<string, FloatTensor>,
  source = 'adapter_model.safetensors',
): LoraAdapter {
  const parts = new Map<string, Partial<Record<Part, [string, FloatTensor]>>>();
  const savedModules = new Map<string, FloatTensor>();
  for (const [key, tensor] of tensors) {
    if (!key.startsWith(KEY_PREFIX)) {
      throw peftError(
        'E_INPUT',
        `${source}: tensor "${key}" does not start with "${KEY_PREFIX}", so it is not a PEFT LoRA key`,
      );
    }
    const rest = key.slice(KEY_PREFIX.length);
    let matched = false;
    for (const [regex, part] of PARTS) {
      const match = regex.exec(rest);
      if (!match) continue;
      const path = match[1]!;
      const entry = parts.get(path) ?? {};
      entry[part] = [key, tensor];
      parts.set(path, entry);
      matched = true;
      break;
    }
    if (matched) continue;
    // modules_to_save: `<m>.<param>` or the older `<m>.modules_to_save.<adapter>.<param>`.
    const saved = rest.replace(/\.modules_to_save\.[^.]+\./, '.');
    const modulePath = saved.slice(0, saved.lastIndexOf('.'));
    const savedByList =
      config.modules_to_save !== null && matchesModuleList(modulePath, config.modules_to_save);
    const savedBias = config.bias !== 'none' && saved.endsWith('.bias');
    if (modulePath !== '' && (savedByList || savedBias)) {
      savedModules.set(saved, tensor);
      continue;
    }
    throw peftError(
      'E_INPUT',
      `${source}: tensor "${key}" is neither a LoRA factor (lora_A/lora_B/lora_embedding_A/B/lora_magnitude_vector) nor under modules_to_save (nor a bias with bias != "none")`,
    );
  }
  const modules = new Map<string, LoraModuleWeights>();
  for (const [path, entry] of parts) {
    const embedding = entry.embA !== undefined || entry.embB !== undefined;
    const a = embedding ? entry.embA : entry.A;
    const b = embedding ? entry.embB : entry.B;
    const keys = loraModuleKeys(path, embedding ? 'embedding' : 'linear');
    if (!a) throw peftError('E_INPUT', `${source}: "${keys.b}" has no matching "${keys.a}"`);
    if (!b) throw peftError('E_INPUT', `${source}: "${keys.a}" has no matching "${keys.b}"`);
    const [aKey, aTensor] = a;
    const [bKey, bTensor] = b;
    const kind: LoraModuleKind = embedding ? 'embedding' : aTensor.shape.length === 4 ? 'conv2d' : 'linear';
    const wantRank = kind === 'conv2d' ? 4 : 2;
    if (aTensor.shape.length !== wantRank || bTensor.shape.length !== wantRank) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `${source}: "${aKey}" ${shapeText(aTensor.shape)} and "${bKey}" ${shapeText(bTensor.shape)} must both be ${wantRank}-D`,
      );
    }
    const r = aTensor.shape[0]!;
    if (bTensor.shape[1] !== r) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `${source}: "${bKey}" has shape ${shapeText(bTensor.shape)} but "${aKey}" has rank ${r} (${shapeText(aTensor.shape)}); B must be [out, r]`,
      );
    }
    if (kind === 'conv2d' && (bTensor.shape[2] !== 1 || bTensor.shape[3] !== 1)) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `${source}: "${bKey}" must be a 1x1 conv [out, r, 1, 1], got ${shapeText(bTensor.shape)}`,
      );
    }
    const expected = moduleLoraParameters(path, config).r;
    if (r !== expected) {
      throw peftError(
        'E_SHAPE_MISMATCH',
        `${source}: "${aKey}" has rank ${r} but adapter_config.json gives r=${expected} for module "${path}" (check r and rank_pattern)`,
      );
    }
    if (!isTargetModule(path, config)) {
      throw peftError(
        'E_CONFIG',
        `${source}: module "${path}" (tensor "${aKey}") is not matched by target_modules ${JSON.stringify(config.target_modules)}`,
      );
    }
    const out = bTensor.shape[0]!;
    const module: { -readonly [K in keyof LoraModuleWeights]: LoraModuleWeights[K] } = {
      kind,
      loraA: aTensor,
      loraB: bTensor,
    };
    if (entry.bias) {
      const [biasKey, bias] = entry.bias;
      if (bias.shape.length !== 1 || bias.shape[0] !== out) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `${source}: "${biasKey}" must be [${out}], got ${shapeText(bias.shape)}`,
        );
      }
      module.loraBias = bias;
    }
    if (entry.magnitude) {
      const [magKey, magnitude] = entry.magnitude;
      if (!isDoraMagnitudeShape(kind, out, magnitude.shape)) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `${source}: "${magKey}" must be ${shapeText(doraMagnitudeShape(kind, out))} (one entry per ${doraOutputName(kind)} of this ${kind} module, whose "${bKey}" is ${shapeText(bTensor.shape)}), got ${shapeText(magnitude.shape)}`,
        );
      }
      module.magnitude = magnitude;
    } else if (config.use_dora) {
      throw peftError('E_INPUT', `${source}: use_dora is set but "${keys.magnitude}" is missing`);
    }
    modules.set(path, module);
  }
  return { config, modules, savedModules };
}
