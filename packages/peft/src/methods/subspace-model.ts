import { createRandom } from '@modelsmith/core-tensor';
import { matchesModuleList } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { collectLayers, type NameMapping } from '../layers/peft-model.js';
import type { Tf, TfLayer, TfLayersModel, TfRuntime, TfTensor, TfVariable } from '../layers/tf-types.js';
import { internals } from '../layers/tf-types.js';
import { wrapLayerCall } from '../layers/wrap-call.js';

export interface SubspaceOptions {
  /** Total trainable budget d (with SAID, the per-layer scalars count toward it). */
  readonly dimension: number;
  /** `dense`: Gaussian P with unit-norm columns in expectation (O(D·d) memory); `fastfood`: H·G·Π·H·B blocks (O(D)). */
  readonly projection: 'dense' | 'fastfood';
  /** Structure-aware (Aghajanyan et al. 2020): θᵢ = θ₀ᵢ + λᵢ·(P·d)ᵢ with one λ per layer. */
  readonly said?: boolean;
  /** Dense layers to train through the subspace (default: every Dense layer). */
  readonly targetModules?: readonly string[] | string;
  readonly seed?: number;
  readonly nameMapping?: NameMapping;
}

interface Slice {
  readonly layer: TfLayer;
  readonly path: string;
  readonly offset: number;
  readonly kernelSize: number;
  readonly biasSize: number;
  readonly lambda?: TfVariable;
}

/** Unnormalised Walsh–Hadamard transform of the last axis of `x` `[n]` (n a power of two), built from tf ops. */
function walshHadamard(tf: Tf, x: TfTensor, n: number): TfTensor {
  let y = x.reshape([1, n]);
  for (let h = 1; h < n; h *= 2) {
    const parts = y.reshape([n / (2 * h), 2, h]);
    const [a, b] = tf.split(parts, 2, 1) as [TfTensor, TfTensor];
    y = tf.concat([tf.add(a, b), tf.sub(a, b)], 1).reshape([1, n]);
  }
  return y.reshape([n]);
}

/**
 * Intrinsic-dimension subspace training (Li et al. 2018; SAID: Aghajanyan et al. 2020) over the
 * kernels and biases of Dense layers: θ = θ₀ + P·d with P fixed and regenerated from the seed,
 * only d (and SAID's λ) trainable. d starts at 0, so the model is unchanged at init.
 */
export class SubspaceModel {
  readonly projectionDimension: number;
  readonly totalParameters: number;
  private readonly d: TfVariable;
  private readonly slices: Slice[] = [];
  private readonly restores: (() => void)[] = [];
  private readonly denseP?: TfTensor;
  private readonly blocks?: {
    n: number;
    count: number;
    sign: TfTensor;
    perm: TfTensor;
    gauss: TfTensor;
    scale: number;
  };

  constructor(
    private readonly runtime: TfRuntime,
    readonly model: TfLayersModel,
    options: SubspaceOptions,
  ) {
    const tf = runtime.tf;
    let offset = 0;
    for (const { path, layer } of collectLayers(model, options.nameMapping)) {
      if (layer.getClassName() !== 'Dense') continue;
      if (options.targetModules !== undefined && !matchesModuleList(path, options.targetModules)) continue;
      const inner = internals(layer);
      const kernelSize = inner.kernel!.shape.reduce((a, b) => a * b, 1);
      const biasSize = inner.bias ? inner.bias.shape[0]! : 0;
      this.slices.push({ layer, path, offset, kernelSize, biasSize });
      offset += kernelSize + biasSize;
    }
    if (this.slices.length === 0)
      throw peftError('E_CONFIG', 'subspace training found no Dense layer to train');
    this.totalParameters = offset;
    const said = options.said ?? false;
    this.projectionDimension = options.dimension - (said ? this.slices.length : 0);
    if (this.projectionDimension < 1) {
      throw peftError(
        'E_CONFIG',
        `dimension ${options.dimension} leaves no room for the projection after ${this.slices.length} SAID scalars`,
      );
    }
    const dd = this.projectionDimension;
    const random = createRandom(options.seed ?? 0, 'subspace', options.projection);
    this.d = tf.variable(tf.zeros([dd]), true);
    if (said) {
      this.slices.forEach((slice, i) => {
        this.slices[i] = { ...slice, lambda: tf.variable(tf.scalar(1), true) };
      });
    }
    if (options.projection === 'dense') {
      // Entries N(0, 1/D): every column of P has unit norm in expectation.
      const values = new Float32Array(offset * dd);
      for (let i = 0; i < values.length; i++) values[i] = random.normal(i) / Math.sqrt(offset);
      this.denseP = tf.tensor2d(values, [offset, dd]);
    } else {
      let n = 1;
      while (n < dd) n *= 2;
      const count = Math.ceil(offset / n);
      const sign = new Float32Array(count * n);
      const gauss = new Float32Array(count * n);
      const perm = new Int32Array(count * n);
      const draws = random.derive('fastfood');
      for (let b = 0; b < count; b++) {
        for (let i = 0; i < n; i++) {
          sign[b * n + i] = draws.uniform(3 * (b * n + i)) < 0.5 ? -1 : 1;
          gauss[b * n + i] = draws.normal(3 * (b * n + i) + 1);
          perm[b * n + i] = i;
        }
        for (let i = n - 1; i > 0; i--) {
          const j = draws.integer(3 * (b * n + i) + 2, i + 1);
          const t = perm[b * n + i]!;
          perm[b * n + i] = perm[b * n + j]!;
          perm[b * n + j] = t;
        }
      }
      // ‖H·G·Π·H·B·v‖ ≈ n·‖v‖ per block; over `count` blocks, 1/(n·√count) gives unit-norm columns.
      this.blocks = {
        n,
        count,
        sign: tf.tensor2d(sign, [count, n]),
        gauss: tf.tensor2d(gauss, [count, n]),
        perm: tf.tensor2d(perm, [count, n], 'int32'),
        scale: 1 / (n * Math.sqrt(count)),
      };
    }
    for (const slice of this.slices) {
      this.restores.push(
        wrapLayerCall(slice.layer, ({ activate, input }) => {
          const { kernel, bias } = this.effectiveWeights(slice);
          const inDim = kernel.shape[0]!;
          let z = tf.matMul(input.reshape([-1, inDim]), kernel);
          if (bias) z = tf.add(z, bias);
          return activate(z.reshape([...input.shape.slice(0, -1), -1]));
        }),
      );
    }
  }

  /** P·d restricted to entries [start, start + size). */
  private projected(start: number, size: number): TfTensor {
    const tf = this.runtime.tf;
    if (this.denseP)
      return tf.matMul(this.denseP.slice([start, 0], [size, -1]), this.d.reshape([-1, 1])).reshape([size]);
    const { n, sign, gauss, perm, scale } = this.blocks!;
    const padded =
      this.projectionDimension === n ? this.d : tf.pad(this.d, [[0, n - this.projectionDimension]]);
    const first = Math.floor(start / n);
    const last = Math.floor((start + size - 1) / n);
    const outputs: TfTensor[] = [];
    for (let b = first; b <= last; b++) {
      const row = (t: TfTensor) => t.slice([b, 0], [1, n]).reshape([n]);
      let v = walshHadamard(tf, tf.mul(padded, row(sign)), n);
      v = tf.gather(v, row(perm));
      v = walshHadamard(tf, tf.mul(v, row(gauss)), n);
      outputs.push(v);
    }
    const joined = outputs.length === 1 ? outputs[0]! : tf.concat(outputs, 0);
    return tf.mul(joined.slice([start - first * n], [size]), scale);
  }

  private effectiveWeights(slice: Slice): { kernel: TfTensor; bias: TfTensor | null } {
    const tf = this.runtime.tf;
    const inner = internals(slice.layer);
    let update = this.projected(slice.offset, slice.kernelSize + slice.biasSize);
    if (slice.lambda) update = tf.mul(update, slice.lambda);
    const kernel = tf.add(
      inner.kernel!.read(),
      update.slice([0], [slice.kernelSize]).reshape(inner.kernel!.shape),
    );
    const bias = inner.bias
      ? tf.add(inner.bias.read(), update.slice([slice.kernelSize], [slice.biasSize]))
      : null;
    return { kernel, bias };
  }

  trainableVariables(): TfVariable[] {
    return [this.d, ...this.slices.flatMap((s) => (s.lambda ? [s.lambda] : []))];
  }

  /** Writes θ₀ + P·d into the layers and removes the wrappers; returns the plain model. */
  mergeAndUnload(): TfLayersModel {
    const tf = this.runtime.tf;
    for (const slice of this.slices) {
      const inner = internals(slice.layer);
      const kernel = tf.tidy(() => this.effectiveWeights(slice).kernel);
      const bias = inner.bias ? tf.tidy(() => this.effectiveWeights(slice).bias!) : null;
      inner.kernel!.write(kernel);
      if (bias) inner.bias!.write(bias);
      kernel.dispose();
      bias?.dispose();
    }
    for (const restore of this.restores) restore();
    this.restores.length = 0;
    return this.model;
  }
}
