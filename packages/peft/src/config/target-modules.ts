import { peftError } from '../errors.js';
import type { LoraConfig } from './lora-config.js';

function fullMatchRegex(pattern: string, field: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw peftError('E_CONFIG', `${field} "${pattern}" is not a valid regular expression`, error);
  }
}

/**
 * PEFT's `target_modules` rule: a string is a regex that must match the whole module path; a list
 * matches a path equal to an entry or ending in `.` + entry.
 */
export function matchesModuleList(
  path: string,
  targets: readonly string[] | string,
  field = 'target_modules',
): boolean {
  if (typeof targets === 'string') return fullMatchRegex(targets, field).test(path);
  return targets.some((target) => path === target || path.endsWith(`.${target}`));
}

/** The value of the first `rank_pattern`/`alpha_pattern` key matching `(.*\.)?(key)$` against `path`. */
export function patternValue(path: string, pattern: Readonly<Record<string, number>>): number | undefined {
  for (const [key, value] of Object.entries(pattern)) {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:.*\\.)?(?:${key})$`);
    } catch (error) {
      throw peftError('E_CONFIG', `pattern key "${key}" is not a valid regular expression`, error);
    }
    if (regex.test(path)) return value;
  }
  return undefined;
}

/** Whether a module path is adapted under `config` (target_modules minus exclude_modules). */
export function isTargetModule(
  path: string,
  config: Pick<LoraConfig, 'target_modules' | 'exclude_modules'>,
): boolean {
  if (config.target_modules === null) return false;
  if (!matchesModuleList(path, config.target_modules)) return false;
  if (config.exclude_modules !== null && matchesModuleList(path, config.exclude_modules, 'exclude_modules'))
    return false;
  return true;
}

export interface ModuleLoraParameters {
  readonly r: number;
  readonly alpha: number;
  /** `alpha / r`, or `alpha / sqrt(r)` with rsLoRA. */
  readonly scaling: number;
}

/** Rank, alpha and scaling of one module, after `rank_pattern` and `alpha_pattern`. */
export function moduleLoraParameters(
  path: string,
  config: Pick<LoraConfig, 'r' | 'lora_alpha' | 'rank_pattern' | 'alpha_pattern' | 'use_rslora'>,
): ModuleLoraParameters {
  const r = patternValue(path, config.rank_pattern) ?? config.r;
  const alpha = patternValue(path, config.alpha_pattern) ?? config.lora_alpha;
  return { r, alpha, scaling: loraScaling(alpha, r, config.use_rslora) };
}

export function loraScaling(alpha: number, r: number, useRslora: boolean): number {
  return useRslora ? alpha / Math.sqrt(r) : alpha / r;
}
