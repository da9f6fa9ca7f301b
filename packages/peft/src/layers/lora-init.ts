import { createMatrix, createRandom, svd, thinQr, transpose } from '@modelsmith/core-tensor';
import { peftError } from '../errors.js';
import { loraFactorsFromSvd } from '../linalg/lora-svd.js';

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
  // PEFT orientation W [out, in] = kernelᵀ, in float64.
  const w = transpose(createMatrix(fanIn, out, kernel));
  const s = options.scaling;
  let aPeft: Float64Array; // [r, in]
  let bPeft: Float64Array; // [out, r]
  if (init === 'pissa') {
    // A = √S_r·V_rᵀ/√s, B = U_r·√S_r/√s, so s·B·A = U_r·S_r·V_rᵀ.
    ({ a: aPeft, b: bPeft } = loraFactorsFromSvd(svd(w, { economy: true }), r, 'sqrt', 1 / Math.sqrt(s)));
  } else {
    // OLoRA: W = Q·R; B = Q_r, A = R_r.
    const qr = thinQr(w);
    aPeft = qr.r.data.slice(0, r * fanIn);
    bPeft = new Float64Array(out * r);
    for (let o = 0; o < out; o++)
      for (let c = 0; c < r; c++) bPeft[o * r + c] = qr.q.data[o * qr.q.cols + c]!;
  }
  const residualKernel = new Float32Array(fanIn * out);
  for (let i = 0; i < fanIn; i++) {
    for (let o = 0; o < out; o++) {
      let delta = 0;
      for (let c = 0; c < r; c++) delta += bPeft[o * r + c]! * aPeft[c * fanIn + i]!;
      residualKernel[i * out + o] = w.data[o * fanIn + i]! - s * delta;
    }
  }
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < fanIn; i++) a[i * r + c] = aPeft[c * fanIn + i]!;
    for (let o = 0; o < out; o++) b[c * out + o] = bPeft[o * r + c]!;
  }
  return { a, b, residualKernel };
}
