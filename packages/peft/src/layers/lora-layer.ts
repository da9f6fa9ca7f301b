import type { Tensor4D } from '@tensorflow/tfjs';
import { peftError } from '../errors.js';
import { doraMagnitudeShape, doraOutputName, isDoraMagnitudeShape } from '../io/dora-magnitude-shape.js';
import { floatTensor } from '../io/float-tensor.js';
import type { LoraModuleKind, LoraModuleWeights } from '../io/lora-adapter.js';
import {
  internals,
  type LayerInternals,
  LINEAR_ACTIVATION,
  singleInput,
  stopGradient,
  type Tf,
  type TfLayer,
  type TfTensor,
  type TfVariable,
} from './tf-types.js';

/** One named adapter on one layer. Factors are kept in tfjs orientation. */
export interface LoraAdapterState {
  readonly name: string;
  readonly r: number;
  readonly alpha: number;
  readonly scaling: number;
  readonly dropout: number;
  /** Dense `[in, r]`, Embedding `[num, r]`, Conv2D `[kh, kw, in, r]`. */
  readonly a: TfVariable;
  /** Dense/Embedding `[r, out]`, Conv2D `[1, 1, r, out]`. */
  readonly b: TfVariable;
  /** DoRA magnitude `[out]`: Dense units, Embedding dimensions, Conv2D filters. */
  readonly magnitude?: TfVariable;
}

const SUPPORTED: Record<string, LoraModuleKind> = {
  Dense: 'linear',
  Embedding: 'embedding',
  Conv2D: 'conv2d',
};

export function loraKindOf(layer: TfLayer): LoraModuleKind | undefined {
  return SUPPORTED[layer.getClassName()];
}

/**
 * Wraps a tfjs Dense, Embedding or Conv2D layer in place: its `call` becomes
 * `act(base(x) + Σ scaling·B(A(dropout(x))))` over the active, unmerged adapters.
 */
export class LoraLayer {
  readonly kind: LoraModuleKind;
  readonly adapters = new Map<string, LoraAdapterState>();
  active: string[] = [];
  disabled = false;
  readonly merged: string[] = [];
  private readonly originalCall: LayerInternals['call'];
  private readonly inner: LayerInternals;

  constructor(
    private readonly tf: Tf,
    readonly layer: TfLayer,
    /** The HF module path used in adapter keys. */
    readonly path: string,
  ) {
    const kind = loraKindOf(layer);
    if (!kind) {
      throw peftError(
        'E_CONFIG',
        `layer "${path}" is a ${layer.getClassName()}; LoRA wraps Dense, Embedding and Conv2D layers`,
      );
    }
    this.kind = kind;
    this.inner = internals(layer);
    if (kind === 'conv2d' && this.inner.dataFormat !== 'channelsLast') {
      throw peftError(
        'E_CONFIG',
        `Conv2D layer "${path}" uses ${this.inner.dataFormat}; LoRA supports channelsLast only`,
      );
    }
    this.originalCall = this.inner.call;
    this.inner.call = (inputs, kwargs) => this.call(inputs, kwargs);
  }

  /** The frozen base weight (Dense/Conv2D kernel or Embedding table). */
  baseWeight(): { read(): TfVariable; write(value: TfTensor): void; shape: number[] } {
    const weight = this.kind === 'embedding' ? this.inner.embeddings : this.inner.kernel;
    if (!weight)
      throw peftError(
        'E_CONFIG',
        `layer "${this.path}" is not built yet; call the model once (or build it) before getPeftModel`,
      );
    return weight;
  }

  /** `[fanIn, out]`: the shape A·B multiplies out to before reshaping to the kernel. */
  factorShape(): { fanIn: number; out: number } {
    const shape = this.baseWeight().shape;
    const out = shape[shape.length - 1]!;
    return { fanIn: shape.reduce((x, y) => x * y, 1) / out, out };
  }

  addAdapter(state: LoraAdapterState): void {
    const previous = this.adapters.get(state.name);
    if (previous) {
      previous.a.dispose();
      previous.b.dispose();
      previous.magnitude?.dispose();
    }
    this.adapters.set(state.name, state);
  }

  /** ΔW in the base kernel's tfjs shape, `scaling·A·B` reshaped. */
  deltaWeight(name: string): TfTensor {
    const state = this.adapters.get(name)!;
    return this.deltaFrom(state.a, state.b, state.r, state.scaling);
  }

  deltaFrom(a: TfTensor, b: TfTensor, r: number, scaling: number): TfTensor {
    const tf = this.tf;
    return tf.tidy(() => {
      const shape = this.baseWeight().shape;
      return tf
        .matMul(a.reshape([-1, r]), b.reshape([r, -1]))
        .mul(scaling)
        .reshape(shape);
    });
  }

  /**
   * DoRA's norm of `W + ΔW` per output, `[out]`: over every axis but the last of the tfjs weight. That is
   * PEFT's row norm of the `[out, in]` Linear weight, its norm per embedding dimension of the Embedding
   * table (over the vocabulary), and its norm per filter of the `[out, in, kh, kw]` Conv2d weight.
   */
  weightNorm(weight: TfTensor): TfTensor {
    const tf = this.tf;
    return tf.tidy(() => {
      const out = weight.shape[weight.shape.length - 1]!;
      return tf.sqrt(tf.sum(tf.square(weight.reshape([-1, out])), 0));
    });
  }

  private call(inputs: TfTensor | TfTensor[], kwargs: Record<string, unknown>): TfTensor | TfTensor[] {
    const pending = this.disabled
      ? []
      : this.active.filter((name) => !this.merged.includes(name) && this.adapters.has(name));
    if (pending.length === 0) return this.originalCall.call(this.layer, inputs, kwargs);
    const tf = this.tf;
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const training = kwargs.training === true;
      const activation = this.inner.activation ?? null;
      // Base path through the layer's own code, with the activation deferred until LoRA is added.
      if (activation) this.inner.activation = LINEAR_ACTIVATION;
      let base: TfTensor;
      try {
        base = singleInput(this.originalCall.call(this.layer, inputs, kwargs) as TfTensor | TfTensor[]);
      } finally {
        if (activation) this.inner.activation = activation;
      }
      let z = base;
      for (const name of pending) {
        const state = this.adapters.get(name)!;
        // Dropout acts on features; embedding inputs are ids (PEFT applies none there either).
        const dropout = training && state.dropout > 0 && this.kind !== 'embedding';
        const input = dropout ? tf.dropout(x, state.dropout) : x;
        if (state.magnitude) z = this.doraForward(z, input, state);
        else z = tf.add(z, this.loraBranch(input, state));
      }
      return activation ? activation.apply(z) : z;
    });
  }

  private loraBranch(x: TfTensor, state: LoraAdapterState): TfTensor {
    const tf = this.tf;
    if (this.kind === 'embedding') {
      const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      const rows = tf.gather(state.a, ids.flatten());
      const out = tf.matMul(rows, state.b).mul(state.scaling);
      return out.reshape([...ids.shape, -1]);
    }
    if (this.kind === 'conv2d') {
      const hidden = this.convolve(x, state.a);
      return tf.conv2d(hidden as Tensor4D, state.b as Tensor4D, 1, 'valid').mul(state.scaling);
    }
    const inDim = x.shape[x.shape.length - 1]!;
    const flat = x.reshape([-1, inDim]);
    const out = tf.matMul(tf.matMul(flat, state.a), state.b).mul(state.scaling);
    return out.reshape([...x.shape.slice(0, -1), -1]);
  }

  /** The layer's convolution of `x` with `kernel` (its strides, padding and dilation; no bias). */
  private convolve(x: TfTensor, kernel: TfTensor): TfTensor {
    const layer = this.inner;
    const strides = layer.strides as [number, number];
    const dilation = (
      Array.isArray(layer.dilationRate)
        ? layer.dilationRate
        : [layer.dilationRate ?? 1, layer.dilationRate ?? 1]
    ) as [number, number];
    return this.tf.conv2d(
      x as Tensor4D,
      kernel as Tensor4D,
      strides,
      layer.padding ?? 'valid',
      'NHWC',
      dilation,
    );
  }

  /** The base weight applied to `x` without bias or activation: x·W, W[ids] or conv(x, W). */
  private applyBaseWeight(x: TfTensor, weight: TfTensor): TfTensor {
    const tf = this.tf;
    if (this.kind === 'embedding') {
      const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      return tf.gather(weight, ids.flatten()).reshape([...ids.shape, -1]);
    }
    if (this.kind === 'conv2d') return this.convolve(x, weight);
    const inDim = x.shape[x.shape.length - 1]!;
    return tf.matMul(x.reshape([-1, inDim]), weight).reshape([...x.shape.slice(0, -1), -1]);
  }

  /**
   * DoRA: `(m/‖W+ΔW‖)·(W·x + s·B(A(x))) + b`, with the norm detached from autodiff (DoRA §4.3). The
   * scale `[out]` broadcasts over the last axis: Dense units, embedding dimensions, NHWC channels.
   */
  private doraForward(z: TfTensor, input: TfTensor, state: LoraAdapterState): TfTensor {
    const tf = this.tf;
    const weight = this.baseWeight().read();
    const norm = stopGradient(tf, this.weightNorm(tf.add(weight, this.deltaWeight(state.name))));
    const scale = tf.div(state.magnitude!, norm);
    // PEFT's form: z + (m/‖·‖ − 1)·W·x + (m/‖·‖)·s·B(A(x)); z already holds W·x + b. Like PEFT, W·x
    // sees the dropped-out input when dropout is active (Embedding: no dropout).
    const wx = this.applyBaseWeight(input, weight);
    return tf.add(tf.add(z, tf.mul(wx, tf.sub(scale, 1))), tf.mul(this.loraBranch(input, state), scale));
  }

  /** Adds the active adapters' deltas into the base weight. */
  merge(names: readonly string[] = this.active): void {
    const tf = this.tf;
    for (const name of names) {
      if (this.merged.includes(name) || !this.adapters.has(name)) continue;
      const state = this.adapters.get(name)!;
      const weight = this.baseWeight();
      this.rememberDoraNorm(name);
      const next = tf.tidy(() => {
        const merged = tf.add(weight.read(), this.deltaWeight(name));
        if (!state.magnitude) return merged;
        return tf.mul(merged, tf.div(state.magnitude, this.weightNorm(merged)));
      });
      weight.write(next);
      next.dispose();
      this.merged.push(name);
    }
  }

  /** Subtracts merged deltas again, last merged first. */
  unmerge(): void {
    const tf = this.tf;
    while (this.merged.length > 0) {
      const name = this.merged.pop()!;
      const state = this.adapters.get(name)!;
      const weight = this.baseWeight();
      const next = tf.tidy(() => {
        let current: TfTensor = weight.read();
        if (state.magnitude) {
          // W' = (W+ΔW)·m/‖W+ΔW‖ and ‖W'‖ = m column-wise, so W+ΔW = W'·‖W+ΔW‖/m; ‖W+ΔW‖ is not
          // recoverable from W' alone, so use the stored pre-merge norm.
          current = tf.mul(current, tf.div(this.doraNorms.get(name)!, state.magnitude));
        }
        return tf.sub(current, this.deltaWeight(name));
      });
      weight.write(next);
      next.dispose();
      const stored = this.doraNorms.get(name);
      if (stored) {
        stored.dispose();
        this.doraNorms.delete(name);
      }
    }
  }

  private readonly doraNorms = new Map<string, TfTensor>();

  /** Records ‖W+ΔW‖ before a DoRA merge so unmerge can invert it. */
  rememberDoraNorm(name: string): void {
    const state = this.adapters.get(name);
    if (!state?.magnitude || this.merged.includes(name)) return;
    const tf = this.tf;
    const norm = tf.tidy(() => this.weightNorm(tf.add(this.baseWeight().read(), this.deltaWeight(name))));
    this.doraNorms.get(name)?.dispose();
    this.doraNorms.set(name, tf.keep(norm));
  }

  /** Restores the layer's original `call`; the adapters' variables are disposed. */
  restore(): void {
    this.inner.call = this.originalCall;
    for (const state of this.adapters.values()) {
      state.a.dispose();
      state.b.dispose();
      state.magnitude?.dispose();
    }
    this.adapters.clear();
    for (const norm of this.doraNorms.values()) norm.dispose();
    this.doraNorms.clear();
  }

  /** The adapter's factors in PEFT orientation, as written to disk. */
  exportWeights(name: string): LoraModuleWeights {
    const state = this.adapters.get(name)!;
    const a = state.a.dataSync() as Float32Array;
    const b = state.b.dataSync() as Float32Array;
    const r = state.r;
    const { fanIn, out } = this.factorShape();
    let loraA: Float32Array;
    let aShape: number[];
    if (this.kind === 'conv2d') {
      // tf A [kh, kw, in, r] → PEFT [r, in, kh, kw]
      const [kh, kw, inCh] = this.baseWeight().shape as [number, number, number, number];
      loraA = new Float32Array(a.length);
      for (let h = 0; h < kh; h++)
        for (let w = 0; w < kw; w++)
          for (let i = 0; i < inCh; i++)
            for (let c = 0; c < r; c++)
              loraA[((c * inCh + i) * kh + h) * kw + w] = a[((h * kw + w) * inCh + i) * r + c]!;
      aShape = [r, inCh, kh, kw];
    } else {
      loraA = transposeMatrix(a, fanIn, r);
      aShape = [r, fanIn];
    }
    const loraB = transposeMatrix(b, r, out);
    const weights: { -readonly [K in keyof LoraModuleWeights]: LoraModuleWeights[K] } = {
      kind: this.kind,
      loraA: floatTensor(aShape, loraA),
      loraB: floatTensor(this.kind === 'conv2d' ? [out, r, 1, 1] : [out, r], loraB),
    };
    if (state.magnitude) {
      weights.magnitude = floatTensor(
        doraMagnitudeShape(this.kind, out),
        Float32Array.from(state.magnitude.dataSync()),
      );
    }
    return weights;
  }
}

/** Converts PEFT-orientation factors to tfjs orientation, checking them against the layer's kernel. */
export function importWeights(
  layer: LoraLayer,
  weights: LoraModuleWeights,
  keyOf: (part: 'a' | 'b' | 'magnitude') => string,
): { a: Float32Array; aShape: number[]; b: Float32Array; bShape: number[]; r: number } {
  const kernelShape = layer.baseWeight().shape;
  const { fanIn, out } = layer.factorShape();
  const r = weights.loraA.shape[0]!;
  if (weights.kind !== layer.kind) {
    throw peftError(
      'E_SHAPE_MISMATCH',
      `tensor "${keyOf('a')}" is a ${weights.kind} LoRA factor but layer "${layer.path}" is ${layer.kind}`,
    );
  }
  const expectA =
    layer.kind === 'conv2d' ? [r, kernelShape[2]!, kernelShape[0]!, kernelShape[1]!] : [r, fanIn];
  const expectB = layer.kind === 'conv2d' ? [out, r, 1, 1] : [out, r];
  const same = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  if (!same(weights.loraA.shape, expectA)) {
    throw peftError(
      'E_SHAPE_MISMATCH',
      `tensor "${keyOf('a')}" has shape [${weights.loraA.shape.join(', ')}] but layer "${layer.path}" (kernel [${kernelShape.join(', ')}]) needs [${expectA.join(', ')}]`,
    );
  }
  if (!same(weights.loraB.shape, expectB)) {
    throw peftError(
      'E_SHAPE_MISMATCH',
      `tensor "${keyOf('b')}" has shape [${weights.loraB.shape.join(', ')}] but layer "${layer.path}" (kernel [${kernelShape.join(', ')}]) needs [${expectB.join(', ')}]`,
    );
  }
  if (weights.magnitude && !isDoraMagnitudeShape(layer.kind, out, weights.magnitude.shape)) {
    throw peftError(
      'E_SHAPE_MISMATCH',
      `tensor "${keyOf('magnitude')}" has shape [${weights.magnitude.shape.join(', ')}] but layer "${layer.path}" (${layer.kind}, kernel [${kernelShape.join(', ')}]) needs [${doraMagnitudeShape(layer.kind, out).join(', ')}]: one DoRA magnitude per ${doraOutputName(layer.kind)}`,
    );
  }
  let a: Float32Array;
  let aShape: number[];
  if (layer.kind === 'conv2d') {
    const [kh, kw, inCh] = kernelShape as [number, number, number, number];
    const src = weights.loraA.data;
    a = new Float32Array(src.length);
    for (let h = 0; h < kh; h++)
      for (let w = 0; w < kw; w++)
        for (let i = 0; i < inCh; i++)
          for (let c = 0; c < r; c++)
            a[((h * kw + w) * inCh + i) * r + c] = src[((c * inCh + i) * kh + h) * kw + w]!;
    aShape = [kh, kw, inCh, r];
  } else {
    a = transposeMatrix(weights.loraA.data, r, fanIn);
    aShape = [fanIn, r];
  }
  const b = transposeMatrix(weights.loraB.data, out, r);
  return { a, aShape, b, bShape: layer.kind === 'conv2d' ? [1, 1, r, out] : [r, out], r };
}

function transposeMatrix(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}
