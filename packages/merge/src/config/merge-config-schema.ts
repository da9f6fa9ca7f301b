import { z } from 'zod';
import { MERGE_METHODS, PRESETS } from '../methods/merge-methods.js';

const scalar = z.union([z.number(), z.boolean(), z.string()]);
const gradient = z.array(z.number()).min(1);
const plainValue = z.union([scalar, gradient]);
const conditional = z.strictObject({ filter: z.string().optional(), value: plainValue });

/** A mergekit parameter value: scalar, gradient (list of anchors), or `{filter, value}` condition(s). */
export const parameterValueSchema = z.union([plainValue, conditional, z.array(conditional).min(1)]);
export type RawParameterValue = z.infer<typeof parameterValueSchema>;

export const parametersSchema = z.record(z.string(), parameterValueSchema);
export type RawParameters = z.infer<typeof parametersSchema>;

/** mergekit dtype names (and safetensors ones); computation is always float32, this sets the stored dtype. */
export const CONFIG_DTYPES = [
  'float32',
  'fp32',
  'F32',
  'float16',
  'fp16',
  'half',
  'F16',
  'bfloat16',
  'bf16',
  'BF16',
] as const;

const modelReference = z
  .string()
  .min(1)
  .refine((s) => !s.includes('+'), {
    message:
      'LoRA references (model+lora) are not supported; merge the adapter first with `modelsmith peft merge`',
  });

const modelEntry = z.strictObject({ model: modelReference, parameters: parametersSchema.optional() });
const sliceSource = z.strictObject({
  model: modelReference,
  layer_range: z
    .tuple([z.int().min(0), z.int().min(0)])
    .refine(([a, b]) => b > a, { message: 'layer_range [start, end) needs end > start' }),
  parameters: parametersSchema.optional(),
});
const slice = z.strictObject({
  sources: z.array(sliceSource).min(1),
  base_model: modelReference.optional(),
  parameters: parametersSchema.optional(),
});

/** The mergekit YAML/JSON recipe, as far as modelsmith supports it (plus `preset`). */
export const mergeConfigSchema = z
  .strictObject({
    merge_method: z.enum(MERGE_METHODS),
    base_model: modelReference.optional(),
    models: z.array(modelEntry).min(1).optional(),
    slices: z.array(slice).min(1).optional(),
    parameters: parametersSchema.optional(),
    dtype: z.enum(CONFIG_DTYPES).optional(),
    out_dtype: z.enum(CONFIG_DTYPES).optional(),
    tokenizer_source: z.literal('base').optional(),
    /** modelsmith extension: `mergekit` (default) or `paper` semantics for every knob in spec §8. */
    preset: z.enum(PRESETS).optional(),
    name: z.string().optional(),
  })
  .refine((c) => (c.models === undefined) !== (c.slices === undefined), {
    message: 'give exactly one of models: or slices:',
  });
export type MergeConfig = z.infer<typeof mergeConfigSchema>;
