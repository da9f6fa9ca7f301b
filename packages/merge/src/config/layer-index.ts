/** Matches the layer number in HF-style names: `model.layers.12.`, `transformer.h.3.`, `blocks.0.`, `encoder.layer.5.`. */
const LAYER_PATTERN = /(^|\.)(layers|layer|h|blocks|block)\.(\d+)(\.|$)/;

/** The layer index of a tensor name, or undefined for non-layer tensors (embeddings, final norm, head). */
export function layerIndexOf(name: string): number | undefined {
  const match = LAYER_PATTERN.exec(name);
  return match ? Number(match[3]) : undefined;
}

/** `name` with its layer number replaced by `index`. */
export function withLayerIndex(name: string, index: number): string {
  return name.replace(
    LAYER_PATTERN,
    (_all, lead: string, word: string, _n: string, tail: string) => `${lead}${word}.${index}${tail}`,
  );
}
