import { createRandom } from '@modelsmith/core-tensor';
import { peftError } from '../errors.js';
import { qrThin, svdThin } from '../linalg/dense-svd.js';

export type LoraInit = boolean | 'gaussian' | 'pissa' | 'olora';

export interface LoraInitResult {
  /** A in tfjs orientation (`[fanIn, r]`: Dense `[in, r]`, Embedding `[num, r]`, Conv2D `[kh·kw·in, r]`). */
  readonly a: Float32Array;
  /** B in tfjs orientation `[r, out]`. */
  readonly b: Float32Array;
  /** The residual base kernel `[fanIn, out]` for PiSSA/OLoRA, which move the top of W into the adapter. */
  readonly residualKernel?: Float32Array;
}

/**
 * Initial factors for one module. `kernel` is the base kernel in tfjs orientation `[fanIn, out]`,
 * needed only by PiSSA and OLoRA. Embeddings follow PEFT: A = 0 and B ~ N(0, 1).
 */
export function initLoraFactors(options: {
  kind: 'linear' | 'embedding' | 'conv2d';
  fanIn: number;
  out: number;
  r: number;
  scaling: number;
  init: LoraInit;
  seed: number;
  key: string;
  kernel?: Float32Array;
  layerName: string;
}): LoraInitResult {
  const { fanIn, out, r, init } = options;
  const random = createRandom(options.seed, 'lora', options.key);
  const a = new Float32Array(fanIn * r);
  const b = new Float32Array(r * out);
  if (options.kind === 'embedding' && (init === true || init === 'gaussian')) {
    for (let i = 0; i < b.length; i++) b[i] = random.derive('B').normal(i);
    return { a, b };
  }
  if (init === true || init === false) {
    // Kaiming-uniform with a = √5 on PEFT's A [r, fanIn]: bound = sqrt(6 / ((1 + 5)·fanIn)) = 1/√fanIn.
    const bound = 1 / Math.sqrt(fanIn);
    const ra = random.derive('A');
    for (let i = 0; i < a.length; i++) a[i] = (2 * ra.uniform(i) - 1) * bound;
    if (init === false) {
      const boundB = 1 / Math.sqrt(r);
      const rb = random.derive('B');
      for (let i = 0; i < b.length; i++) b[i] = (2 * rb.uniform(i) - 1) * boundB;
    }
    return { a, b };
  }
  if (init === 'gaussian') {
    const ra = random.derive('A');
    for (let i = 0; i < a.length; i++) a[i] = ra.normal(i) / r;
    return { a, b };
  }
  if (options.kind !== 'linear') {
    throw peftError(
      'E_CONFIG',
      `init_lora_weights "${init}" is supported for Dense layers only; layer "${options.layerName}" is ${options.kind}`,
    );
  }
  const kernel = options.kernel!;
  if (r > Math.min(fanIn, out)) {
    throw peftError(
      'E_CONFIG',
      `init_lora_weights "${init}" needs r ≤ min(in, out) = ${Math.min(fanIn, out)} for layer "${options.layerName}", got r=${r}`,
    );
  }
  // PEFT orientation W [out, in] = kernelᵀ.
  const w = new Float64Array(out * fanIn);
  for (let i = 0; i < fanIn; i++) for (let o = 0; o < out; o++) w[o * fanIn + i] = kernel[i * out + o]!;
  const aPeft = new Float64Array(r * fanIn); // [r, in]
  const bPeft = new Float64Array(out * r); // [out, r]
  const s = options.scaling;
  if (init === 'pissa') {
    // A = √S_r·V_rᵀ/√s, B = U_r·√S_r/√s, so s·B·A = U_r·S_r·V_rᵀ.
    const svd = svdThin(w, out, fanIn);
    for (let c = 0; c < r; c++) {
      const root = Math.sqrt(svd.s[c]!) / Math.sqrt(s);
      for (let i = 0; i < fanIn; i++) aPeft[c * fanIn + i] = root * svd.v[i * svd.k + c]!;
      for (let o = 0; o < out; o++) bPeft[o * r + c] = root * svd.u[o * svd.k + c]!;
    }
  } else {
    // OLoRA: W = Q·R; B = Q_r, A = R_r.
    const { q, r: rr, k } = qrThin(w, out, fanIn);
    for (let c = 0; c < r; c++) {
      for (let i = 0; i < fanIn; i++) aPeft[c * fanIn + i] = rr[c * fanIn + i]!;
      for (let o = 0; o < out; o++) bPeft[o * r + c] = q[o * k + c]!;
    }
  }
  const residualKernel = new Float32Array(fanIn * out);
  for (let i = 0; i < fanIn; i++) {
    for (let o = 0; o < out; o++) {
      let delta = 0;
      for (let c = 0; c < r; c++) delta += bPeft[o * r + c]! * aPeft[c * fanIn + i]!;
      residualKernel[i * out + o] = w[o * fanIn + i]! - s * delta;
    }
  }
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < fanIn; i++) a[i * r + c] = aPeft[c * fanIn + i]!;
    for (let o = 0; o < out; o++) b[c * out + o] = bPeft[o * r + c]!;
  }
  return { a, b, residualKernel };
}
