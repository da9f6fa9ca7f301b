import type { TensorContext } from './tensor-context.js';

export interface NuslerpOptions {
  /** One angle for the whole tensor (mergekit `nuslerp_flatten`, default true). */
  readonly flatten: boolean;
  /** When not flattened: false = one angle per vector along the LAST axis (each row of a matrix); true = along the FIRST axis (each column). */
  readonly rowWise: boolean;
}

/**
 * NuSLERP between two models with weights (w₁, w₂): t = w₂/(w₁ + w₂) (0.5 when |w₁ + w₂| < 1e-6).
 * With a base the two task vectors are interpolated and added back to the base.
 */
export function nuslerpMerge(
  first: Float32Array,
  second: Float32Array,
  weights: readonly [number, number],
  base: Float32Array | undefined,
  options: NuslerpOptions,
  context: TensorContext,
): Float32Array {
  const n = first.length;
  const weightSum = weights[0] + weights[1];
  const t = Math.abs(weightSum) < 1e-6 ? 0.5 : weights[1] / weightSum;
  const v0 = new Float32Array(n);
  const v1 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    v0[i] = base ? first[i]! - base[i]! : first[i]!;
    v1[i] = base ? second[i]! - base[i]! : second[i]!;
  }
  const shape = context.shape;
  let vectorLength = n;
  let vectorCount = 1;
  let stride = 1;
  let step = n;
  if (!options.flatten && shape.length >= 2) {
    if (options.rowWise) {
      vectorLength = shape[0]!;
      vectorCount = n / vectorLength;
      stride = vectorCount;
      step = 1;
    } else {
      vectorLength = shape[shape.length - 1]!;
      vectorCount = n / vectorLength;
      stride = 1;
      step = vectorLength;
    }
  }
  const out = new Float32Array(n);
  for (let v = 0; v < vectorCount; v++) {
    const start = v * step;
    let dot = 0;
    let norm0 = 0;
    let norm1 = 0;
    for (let j = 0; j < vectorLength; j++) {
      const k = start + j * stride;
      dot += v0[k]! * v1[k]!;
      norm0 += v0[k]! * v0[k]!;
      norm1 += v1[k]! * v1[k]!;
    }
    const cos = Math.max(
      -1,
      Math.min(1, dot / (Math.max(Math.sqrt(norm0), 1e-7) * Math.max(Math.sqrt(norm1), 1e-7))),
    );
    const theta = Math.acos(cos);
    const sinTheta = Math.sin(theta);
    let a = 1 - t;
    let b = t;
    if (Math.abs(sinTheta) >= 1e-8) {
      a = Math.sin((1 - t) * theta) / sinTheta;
      b = Math.sin(t * theta) / sinTheta;
    }
    for (let j = 0; j < vectorLength; j++) {
      const k = start + j * stride;
      out[k] = (base ? base[k]! : 0) + a * v0[k]! + b * v1[k]!;
    }
  }
  return out;
}
