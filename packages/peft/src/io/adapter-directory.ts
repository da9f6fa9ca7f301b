import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loraConfigToJson, parseLoraConfig } from '../config/lora-config.js';
import { peftError } from '../errors.js';
import {
  type AdapterDType,
  decodeAdapterSafetensors,
  encodeAdapterSafetensors,
} from './adapter-safetensors.js';
import { adapterFromStateDict, adapterToStateDict, type LoraAdapter } from './lora-adapter.js';

export const ADAPTER_CONFIG_NAME = 'adapter_config.json';
export const ADAPTER_WEIGHTS_NAME = 'adapter_model.safetensors';

/** Decodes an adapter from the two files' contents (for browsers and tests). */
export function decodeAdapter(configJson: string, weights: Uint8Array): LoraAdapter {
  let raw: unknown;
  try {
    raw = JSON.parse(configJson);
  } catch (error) {
    throw peftError('E_CONFIG', `${ADAPTER_CONFIG_NAME} is not valid JSON`, error);
  }
  const config = parseLoraConfig(raw);
  const { tensors } = decodeAdapterSafetensors(weights, ADAPTER_WEIGHTS_NAME);
  return adapterFromStateDict(config, tensors);
}

/** Encodes an adapter as the two files PEFT reads. */
export function encodeAdapter(
  adapter: LoraAdapter,
  dtype: AdapterDType = 'F32',
): { config: string; weights: Uint8Array } {
  return {
    config: `${JSON.stringify(loraConfigToJson(adapter.config), null, 2)}\n`,
    weights: encodeAdapterSafetensors(adapterToStateDict(adapter), dtype, { format: 'pt' }),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a PEFT adapter directory. A non-default adapter saved by PEFT lives in a subfolder named after
 * it; pass `adapterName` to read that one.
 */
export async function loadAdapter(
  directory: string,
  options: { adapterName?: string } = {},
): Promise<LoraAdapter> {
  const dir =
    options.adapterName && options.adapterName !== 'default'
      ? join(directory, options.adapterName)
      : directory;
  const configPath = join(dir, ADAPTER_CONFIG_NAME);
  const weightsPath = join(dir, ADAPTER_WEIGHTS_NAME);
  if (!(await exists(configPath))) {
    throw peftError(
      'E_IO',
      `no ${ADAPTER_CONFIG_NAME} in ${dir}; an adapter directory holds ${ADAPTER_CONFIG_NAME} and ${ADAPTER_WEIGHTS_NAME}`,
    );
  }
  if (!(await exists(weightsPath))) {
    const pickle = await exists(join(dir, 'adapter_model.bin'));
    throw peftError(
      'E_IO',
      pickle
        ? `${dir} holds adapter_model.bin (PyTorch pickle), which is not read; convert it to ${ADAPTER_WEIGHTS_NAME}`
        : `no ${ADAPTER_WEIGHTS_NAME} in ${dir}`,
    );
  }
  const [configText, weights] = await Promise.all([readFile(configPath, 'utf8'), readFile(weightsPath)]);
  return decodeAdapter(configText, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
}

async function writeAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw peftError('E_IO', `could not write ${path}`, error);
  }
}

export interface SaveAdapterOptions {
  /** Stored dtype of the factors (default F32). */
  readonly dtype?: AdapterDType;
  /** Non-default names are saved in a subfolder named after the adapter, as PEFT does. */
  readonly adapterName?: string;
  /** Replace existing files (default false). */
  readonly force?: boolean;
}

/** Writes `adapter_config.json` and `adapter_model.safetensors` (each atomically). */
export async function saveAdapter(
  directory: string,
  adapter: LoraAdapter,
  options: SaveAdapterOptions = {},
): Promise<string> {
  const dir =
    options.adapterName && options.adapterName !== 'default'
      ? join(directory, options.adapterName)
      : directory;
  const configPath = join(dir, ADAPTER_CONFIG_NAME);
  if (!options.force && (await exists(configPath))) {
    throw peftError('E_OUTPUT_EXISTS', `${configPath} already exists; pass force (--force) to overwrite it`);
  }
  await mkdir(dir, { recursive: true });
  const encoded = encodeAdapter(adapter, options.dtype ?? 'F32');
  await writeAtomic(join(dir, ADAPTER_WEIGHTS_NAME), encoded.weights);
  await writeAtomic(configPath, encoded.config);
  return dir;
}
