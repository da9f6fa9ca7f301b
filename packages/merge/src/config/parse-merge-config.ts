import { isAbsolute, resolve } from 'node:path';
import { parseOptions } from '@modelsmith/core-tensor';
import { parse as parseYaml } from 'yaml';
import { mergeError, PACKAGE_NAME } from '../errors.js';
import { type MergeConfig, mergeConfigSchema } from './merge-config-schema.js';

/** A validated recipe whose model paths are absolute. */
export interface ResolvedMergeConfig extends MergeConfig {
  /** Directory relative model paths were resolved against. */
  readonly baseDirectory: string;
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  modules: 'modules: (multi-tower configs) is not supported; use models: or slices:',
  tokenizer:
    'tokenizer: is not supported; modelsmith copies the base model tokenizer (tokenizer_source: base)',
  chat_template: 'chat_template: is not supported; edit tokenizer_config.json of the output instead',
};

/**
 * Parses a mergekit recipe (YAML/JSON text or an already-parsed object) and resolves model paths
 * relative to `baseDirectory` (the YAML file's directory).
 */
export function parseMergeConfig(
  source: string | unknown,
  options: { baseDirectory: string },
): ResolvedMergeConfig {
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = parseYaml(source);
    } catch (error) {
      throw mergeError('E_CONFIG', `the merge config is not valid YAML: ${(error as Error).message}`, error);
    }
  }
  if (raw !== null && typeof raw === 'object') {
    for (const [key, message] of Object.entries(UNSUPPORTED))
      if (key in raw) throw mergeError('E_CONFIG', message);
    if ('tokenizer_source' in raw && (raw as Record<string, unknown>).tokenizer_source !== 'base') {
      throw mergeError(
        'E_CONFIG',
        `tokenizer_source: ${JSON.stringify((raw as Record<string, unknown>).tokenizer_source)} is not supported; allowed: base`,
      );
    }
  }
  const config = parseOptions(PACKAGE_NAME, 'merge config', mergeConfigSchema, raw);
  const at = (path: string) => (isAbsolute(path) ? path : resolve(options.baseDirectory, path));
  return {
    ...config,
    ...(config.base_model ? { base_model: at(config.base_model) } : {}),
    ...(config.models ? { models: config.models.map((m) => ({ ...m, model: at(m.model) })) } : {}),
    ...(config.slices
      ? {
          slices: config.slices.map((s) => ({
            ...s,
            ...(s.base_model ? { base_model: at(s.base_model) } : {}),
            sources: s.sources.map((source) => ({ ...source, model: at(source.model) })),
          })),
        }
      : {}),
    baseDirectory: options.baseDirectory,
  };
}
