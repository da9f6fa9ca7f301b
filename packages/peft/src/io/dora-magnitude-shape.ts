import type { LoraModuleKind } from './lora-adapter.js';

/**
 * The shape PEFT stores `lora_magnitude_vector` in: `[out_features]` (Linear), `[embedding_dim]`
 * (Embedding), and `[1, out_channels, 1, 1]` for Conv2d, whose norm PEFT takes with `keepdim` and
 * transposes.
 */
export function doraMagnitudeShape(kind: LoraModuleKind, out: number): number[] {
  return kind === 'conv2d' ? [1, out, 1, 1] : [out];
}

/** PEFT's shape, or (Conv2d) the plain `[out]` vector, which is read as the same values. */
export function isDoraMagnitudeShape(kind: LoraModuleKind, out: number, shape: readonly number[]): boolean {
  if (shape.length === 1) return shape[0] === out;
  return kind === 'conv2d' && shape.length === 4 && shape.every((d, i) => d === (i === 1 ? out : 1));
}

/** What one magnitude entry scales, for error messages. */
export function doraOutputName(kind: LoraModuleKind): string {
  if (kind === 'embedding') return 'embedding dimension';
  return kind === 'conv2d' ? 'output channel' : 'output feature';
}
