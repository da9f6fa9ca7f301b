import type { ParameterValue } from '../methods/merge-methods.js';
import type { RawParameters, RawParameterValue } from './merge-config-schema.js';

/**
 * Evaluates a mergekit parameter value for one tensor: filters are substring tests on the tensor
 * name, the FIRST matching condition wins (absent filter or "*" matches all); a gradient is linearly
 * interpolated at position `t` ∈ [0, 1]. Returns undefined when no condition matches.
 */
export function evaluateParameter(
  value: RawParameterValue,
  tensorName: string,
  t: number,
): ParameterValue | undefined {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object') {
    for (const condition of value as { filter?: string; value: RawParameterValue }[]) {
      if (matches(condition.filter, tensorName)) return evaluateParameter(condition.value, tensorName, t);
    }
    return undefined;
  }
  if (Array.isArray(value)) return gradientAt(value as number[], t);
  if (typeof value === 'object' && value !== null) {
    const condition = value as { filter?: string; value: RawParameterValue };
    return matches(condition.filter, tensorName)
      ? evaluateParameter(condition.value, tensorName, t)
      : undefined;
  }
  return value as ParameterValue;
}

function matches(filter: string | undefined, tensorName: string): boolean {
  return filter === undefined || filter === '*' || tensorName.includes(filter);
}

/** x = t·(n − 1), i = ⌊x⌋, linear interpolation between anchors i and i + 1. */
export function gradientAt(anchors: readonly number[], t: number): number {
  if (anchors.length === 1) return anchors[0]!;
  const x = Math.min(1, Math.max(0, t)) * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(x));
  const frac = x - i;
  return anchors[i]! * (1 - frac) + anchors[i + 1]! * frac;
}

/** Evaluates every key of a parameter block; keys with no matching condition are left out. */
export function evaluateParameters(
  parameters: RawParameters | undefined,
  tensorName: string,
  t: number,
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  if (!parameters) return out;
  for (const [key, raw] of Object.entries(parameters)) {
    const value = evaluateParameter(raw, tensorName, t);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
