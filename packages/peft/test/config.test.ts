import { ModelsmithError } from '@modelsmith/core-tensor';
import { describe, expect, it } from 'vitest';
import {
  isTargetModule,
  loraConfigToJson,
  matchesModuleList,
  moduleLoraParameters,
  parseLoraConfig,
  patternValue,
} from '../src/index.js';

describe('adapter_config.json parsing', () => {
  it('fills PEFT defaults from the minimum loadable config', () => {
    const config = parseLoraConfig({ peft_type: 'LORA', target_modules: ['q_proj'] });
    expect(config.r).toBe(8);
    expect(config.lora_alpha).toBe(8);
    expect(config.lora_dropout).toBe(0);
    expect(config.use_rslora).toBe(false);
    expect(config.use_dora).toBe(false);
    expect(config.init_lora_weights).toBe(true);
    expect(config.bias).toBe('none');
    expect(config.rank_pattern).toEqual({});
  });

  it('keeps unknown keys and float alphas for forward compatibility', () => {
    const config = parseLoraConfig({
      peft_type: 'LORA',
      target_modules: 'x',
      lora_alpha: 12.5,
      megatron_core: 'megatron.core',
      future_field: [1],
    });
    expect(config.lora_alpha).toBe(12.5);
    const json = loraConfigToJson(config);
    expect(json.future_field).toEqual([1]);
    expect(json.megatron_core).toBe('megatron.core');
    expect(parseLoraConfig(JSON.parse(JSON.stringify(json)))).toEqual(config);
  });

  it("accepts PEFT's init_lora_weights strings, including pissa_niter_<k>", () => {
    for (const init of ['gaussian', 'pissa', 'olora', 'pissa_niter_4', false]) {
      expect(
        parseLoraConfig({ peft_type: 'LORA', target_modules: ['a'], init_lora_weights: init })
          .init_lora_weights,
      ).toBe(init);
    }
    expect(() =>
      parseLoraConfig({ peft_type: 'LORA', target_modules: ['a'], init_lora_weights: 'loftq' }),
    ).toThrow(/init_lora_weights/);
  });

  it('names a missing required field', () => {
    expect(() => parseLoraConfig({ peft_type: 'LORA' })).toThrow(
      /missing the required field "target_modules"/,
    );
    expect(() => parseLoraConfig({ target_modules: ['a'] })).toThrow(/"peft_type"/);
    try {
      parseLoraConfig({ peft_type: 'LORA', target_modules: ['a'], r: -1 });
      expect.unreachable();
    } catch (error) {
      expect(ModelsmithError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/r:/);
    }
    expect(() => parseLoraConfig({ peft_type: 'IA3', target_modules: ['a'] })).toThrow(/only LORA/);
  });
});

describe('target_modules matching (PEFT rules)', () => {
  it('a list matches exact names and `.`-suffixes only', () => {
    const list = ['q_proj', 'layers.1.v_proj'];
    expect(matchesModuleList('model.layers.0.self_attn.q_proj', list)).toBe(true);
    expect(matchesModuleList('q_proj', list)).toBe(true);
    expect(matchesModuleList('model.layers.0.self_attn.xq_proj', list)).toBe(false);
    expect(matchesModuleList('model.layers.1.v_proj', list)).toBe(true);
    expect(matchesModuleList('model.layers.11.v_proj', list)).toBe(false);
  });

  it('a string is a regex that must match the whole path', () => {
    expect(matchesModuleList('model.layers.0.q_proj', '.*\\.(q|v)_proj')).toBe(true);
    expect(matchesModuleList('model.layers.0.k_proj', '.*\\.(q|v)_proj')).toBe(false);
    // Not a search: "q_proj" does not full-match a longer path.
    expect(matchesModuleList('model.layers.0.q_proj', 'q_proj')).toBe(false);
  });

  it('exclude_modules removes matches', () => {
    const config = { target_modules: ['q_proj', 'v_proj'], exclude_modules: ['layers.0.v_proj'] };
    expect(isTargetModule('model.layers.0.v_proj', config)).toBe(false);
    expect(isTargetModule('model.layers.1.v_proj', config)).toBe(true);
  });

  it('rank_pattern/alpha_pattern use (.*\\.)?(key)$ and the first matching key wins', () => {
    const pattern = { 'layers.0.q_proj': 4, q_proj: 16, '.*v_proj': 2 };
    expect(patternValue('model.layers.0.q_proj', pattern)).toBe(4);
    expect(patternValue('model.layers.10.q_proj', pattern)).toBe(16);
    expect(patternValue('model.layers.3.qq_proj', pattern)).toBeUndefined();
    expect(patternValue('model.layers.3.v_proj', pattern)).toBe(2);
  });

  it('scaling is alpha/r, or alpha/sqrt(r) with rsLoRA, after patterns', () => {
    const base = {
      r: 4,
      lora_alpha: 16,
      use_rslora: false,
      rank_pattern: { fc2: 16 },
      alpha_pattern: { fc2: 8 },
    };
    expect(moduleLoraParameters('net.fc1', base)).toEqual({ r: 4, alpha: 16, scaling: 4 });
    expect(moduleLoraParameters('net.fc2', base)).toEqual({ r: 16, alpha: 8, scaling: 0.5 });
    expect(moduleLoraParameters('net.fc1', { ...base, use_rslora: true }).scaling).toBe(8);
    expect(moduleLoraParameters('net.fc2', { ...base, use_rslora: true }).scaling).toBe(2);
  });
});
