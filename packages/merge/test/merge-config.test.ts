import { describe, expect, it } from 'vitest';
import { layerIndexOf, withLayerIndex } from '../src/config/layer-index.js';
import { evaluateParameter, gradientAt } from '../src/config/parameter-value.js';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';

describe('parameter values', () => {
  it('gradients interpolate linearly between anchors: x = t(n−1)', () => {
    expect(gradientAt([1, 0.7, 0.1], 0)).toBe(1);
    expect(gradientAt([1, 0.7, 0.1], 0.25)).toBeCloseTo(0.85, 12);
    expect(gradientAt([1, 0.7, 0.1], 2 / 3)).toBeCloseTo(0.5, 12);
    expect(gradientAt([0, 0.3, 0.7, 1], 1)).toBe(1);
    expect(gradientAt([5], 0.4)).toBe(5);
  });

  it('filters are substring tests and the first match wins; no filter or "*" matches all', () => {
    const value = [{ filter: 'mlp', value: 0.5 }, { filter: 'self_attn', value: [0, 1] }, { value: 0 }];
    expect(evaluateParameter(value, 'model.layers.1.mlp.up_proj.weight', 0.3)).toBe(0.5);
    expect(evaluateParameter(value, 'model.layers.1.self_attn.q_proj.weight', 0.3)).toBeCloseTo(0.3, 12);
    expect(evaluateParameter(value, 'model.norm.weight', 0.3)).toBe(0);
    expect(evaluateParameter([{ filter: 'mlp', value: 1 }], 'lm_head.weight', 0)).toBeUndefined();
    expect(evaluateParameter({ filter: '*', value: 2 }, 'anything', 0)).toBe(2);
  });

  it('layer indices are found in HF-style names and can be renumbered', () => {
    expect(layerIndexOf('model.layers.12.mlp.up_proj.weight')).toBe(12);
    expect(layerIndexOf('transformer.h.3.attn.c_attn.weight')).toBe(3);
    expect(layerIndexOf('model.embed_tokens.weight')).toBeUndefined();
    expect(withLayerIndex('model.layers.12.mlp.up_proj.weight', 40)).toBe(
      'model.layers.40.mlp.up_proj.weight',
    );
  });
});

describe('parseMergeConfig', () => {
  it('reads mergekit YAML and resolves model paths against the YAML directory', () => {
    const config = parseMergeConfig(
      `merge_method: ties
base_model: ./base
models:
  - model: ft-a
    parameters: {density: [1, 0.7, 0.1], weight: 1.0}
  - model: /abs/ft-b
    parameters:
      density: 0.33
      weight: [{filter: mlp, value: 0.5}, {value: 0}]
parameters: {normalize: true, int8_mask: true}
dtype: float16
`,
      { baseDirectory: '/recipes' },
    );
    expect(config.base_model).toBe('/recipes/base');
    expect(config.models!.map((m) => m.model)).toEqual(['/recipes/ft-a', '/abs/ft-b']);
    expect(config.dtype).toBe('float16');
  });

  it('rejects bad configs naming the key and the allowed values', () => {
    expect(() =>
      parseMergeConfig('merge_method: dare-ties\nmodels: [{model: a}]', { baseDirectory: '/' }),
    ).toThrow(/merge_method.*dare_ties/s);
    expect(() => parseMergeConfig('merge_method: linear', { baseDirectory: '/' })).toThrow(
      /exactly one of models: or slices:/,
    );
    expect(() =>
      parseMergeConfig('merge_method: linear\nmodels: [{model: a, paramters: {}}]', { baseDirectory: '/' }),
    ).toThrow(/paramters/);
    expect(() =>
      parseMergeConfig('merge_method: linear\nmodels: [{model: a}]\ndtype: int4', { baseDirectory: '/' }),
    ).toThrow(/dtype.*bfloat16/s);
    expect(() =>
      parseMergeConfig('merge_method: linear\nmodels: [{model: a}]\ntokenizer_source: union', {
        baseDirectory: '/',
      }),
    ).toThrow(/tokenizer_source.*allowed: base/);
    expect(() =>
      parseMergeConfig('merge_method: passthrough\nslices: [{sources: [{model: a, layer_range: [4, 2]}]}]', {
        baseDirectory: '/',
      }),
    ).toThrow(/end > start/);
    expect(() => parseMergeConfig('merge_method: [', { baseDirectory: '/' })).toThrow(/not valid YAML/);
  });
});
