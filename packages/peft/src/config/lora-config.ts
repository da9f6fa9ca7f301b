import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { peftError } from '../errors.js';

const patternSchema = z.record(z.string(), z.number());

/**
 * `adapter_config.json` of a LoRA adapter, with PEFT's on-disk field names. Unknown keys are kept
 * (PEFT loaders tolerate them for forward compatibility) and written back unchanged.
 */
export const loraConfigSchema = z
  .looseObject({
    peft_type: z.literal('LORA', { message: 'only LORA adapters are supported (peft_type must be "LORA")' }),
    task_type: z.string().nullable().default(null),
    base_model_name_or_path: z.string().nullable().default(null),
    r: z.number().int().positive().default(8),
    // Floats occur in the wild (Ollama accepts them); keep them.
    lora_alpha: z.number().positive().default(8),
    lora_dropout: z.number().min(0).max(1).default(0),
    target_modules: z.union([z.array(z.string()).min(1), z.string().min(1)]).nullable(),
    exclude_modules: z
      .union([z.array(z.string()), z.string()])
      .nullable()
      .default(null),
    fan_in_fan_out: z.boolean().default(false),
    bias: z.enum(['none', 'all', 'lora_only']).default('none'),
    use_rslora: z.boolean().default(false),
    use_dora: z.boolean().default(false),
    modules_to_save: z.array(z.string()).nullable().default(null),
    // `pissa_niter_<k>` (PEFT's fast randomized PiSSA) is read as PiSSA with an exact SVD.
    init_lora_weights: z
      .union([z.boolean(), z.enum(['gaussian', 'pissa', 'olora']), z.string().regex(/^pissa_niter_\d+$/)])
      .default(true),
    rank_pattern: patternSchema.default({}),
    alpha_pattern: patternSchema.default({}),
    inference_mode: z.boolean().default(true),
  })
  .refine((value) => value.target_modules !== undefined, {
    message: 'target_modules is required (a list of module names, or a regex string)',
    path: ['target_modules'],
  });

export type LoraConfig = z.output<typeof loraConfigSchema>;
export type LoraConfigInput = z.input<typeof loraConfigSchema>;

/** Parses an `adapter_config.json` object (or user options with the same field names), filling PEFT defaults. */
export function parseLoraConfig(value: unknown, source = 'adapter_config.json'): LoraConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw peftError('E_CONFIG', `${source} must be a JSON object with at least peft_type and target_modules`);
  }
  const record = value as Record<string, unknown>;
  for (const field of ['peft_type', 'target_modules'] as const) {
    if (!(field in record)) {
      throw peftError(
        'E_CONFIG',
        `${source} is missing the required field "${field}"; the minimum loadable config is {"peft_type": "LORA", "target_modules": [...]}`,
      );
    }
  }
  const parsed = parseOptions('peft', source, loraConfigSchema, value);
  return parsed as LoraConfig;
}

/** The JSON written to `adapter_config.json`: every PEFT field plus any unknown keys read earlier. */
export function loraConfigToJson(config: LoraConfig): Record<string, unknown> {
  const keys = Object.keys(config).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (config as Record<string, unknown>)[key];
  return out;
}
