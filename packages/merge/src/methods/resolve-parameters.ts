import { mergeError } from '../errors.js';
import type { MergeMethodDefinition, ParameterDefinition, ParameterValue, Preset } from './merge-methods.js';

/** Where a value came from, for error messages, e.g. `models[1].parameters`. */
type Where = string;

function check(
  method: string,
  key: string,
  definition: ParameterDefinition,
  value: ParameterValue,
  where: Where,
): ParameterValue {
  const fail = (expected: string) =>
    mergeError(
      'E_CONFIG',
      `${where}.${key} = ${JSON.stringify(value)} is invalid for merge_method ${method}: expected ${expected}`,
    );
  if (definition.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('a finite number');
    if (definition.min !== undefined && value < definition.min) throw fail(`a number ≥ ${definition.min}`);
    if (definition.max !== undefined && value > definition.max) throw fail(`a number ≤ ${definition.max}`);
  } else if (definition.kind === 'boolean') {
    if (typeof value !== 'boolean') throw fail('true or false');
  } else if (typeof value !== 'string' || (definition.allowed && !definition.allowed.includes(value))) {
    throw fail(`one of ${(definition.allowed ?? []).join(', ')}`);
  }
  return value;
}

/**
 * Fills defaults (mergekit's, or the paper preset's), checks kinds and ranges, and rejects unknown keys.
 * `global` may also hold per-model defaults (mergekit: a global `weight` applies to every model).
 */
export function resolveMethodParameters(
  definition: MergeMethodDefinition,
  preset: Preset,
  global: Readonly<Record<string, ParameterValue>>,
  perModel: readonly Readonly<Record<string, ParameterValue>>[],
  where: { global?: string; models?: readonly string[] } = {},
): { global: Record<string, ParameterValue>; perModel: Record<string, ParameterValue>[] } {
  const method = definition.name;
  const globalWhere = where.global ?? 'parameters';
  for (const key of Object.keys(global)) {
    if (!(key in definition.globalParameters) && !(key in definition.modelParameters)) {
      const known = [...Object.keys(definition.globalParameters), ...Object.keys(definition.modelParameters)];
      throw mergeError(
        'E_CONFIG',
        `${globalWhere}.${key} is not a parameter of merge_method ${method}; allowed: ${known.join(', ') || '(none)'}`,
      );
    }
  }
  const resolvedGlobal: Record<string, ParameterValue> = {};
  for (const [key, parameter] of Object.entries(definition.globalParameters)) {
    const presetValue = preset === 'paper' ? definition.paperPreset?.[key] : undefined;
    const value = global[key] ?? presetValue ?? parameter.default;
    if (value === undefined)
      throw mergeError('E_CONFIG', `merge_method ${method} needs ${globalWhere}.${key} (${parameter.kind})`);
    resolvedGlobal[key] = check(method, key, parameter, value, globalWhere);
  }
  const resolvedModels = perModel.map((values, index) => {
    const modelWhere = where.models?.[index] ?? `models[${index}].parameters`;
    for (const key of Object.keys(values)) {
      if (!(key in definition.modelParameters)) {
        throw mergeError(
          'E_CONFIG',
          `${modelWhere}.${key} is not a per-model parameter of merge_method ${method}; allowed: ${Object.keys(definition.modelParameters).join(', ') || '(none)'}`,
        );
      }
    }
    const resolved: Record<string, ParameterValue> = {};
    for (const [key, parameter] of Object.entries(definition.modelParameters)) {
      // `!== undefined`, not truthiness: weight: 0 is a weight of zero (mergekit-pytorch falls through).
      const value = values[key] ?? global[key] ?? parameter.default;
      if (value === undefined) continue;
      resolved[key] = check(method, key, parameter, value, modelWhere);
    }
    if (definition.modelParameters.weight && resolved.weight === undefined) {
      throw mergeError(
        'E_CONFIG',
        `merge_method ${method} needs a weight for every model: set ${modelWhere}.weight or a global parameters.weight`,
      );
    }
    return resolved;
  });
  return { global: resolvedGlobal, perModel: resolvedModels };
}
