import { matchesModuleList } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { collectLayers, type NameMapping } from '../layers/peft-model.js';
import type { TfLayer, TfLayersModel, TfRuntime, TfTensor, TfVariable } from '../layers/tf-types.js';
import { internals } from '../layers/tf-types.js';
import { wrapLayerCall } from '../layers/wrap-call.js';
import { luDecompose } from '../linalg/lu-decompose.js';

export interface LolduOptions {
  readonly targetModules: readonly string[] | string;
  /** Leading LDU components kept trainable (default 8). */
  readonly r?: number;
  /** σ is initialised to alpha / r (default alpha = r, so σ = 1). */
  readonly alpha?: number;
  readonly nameMapping?: NameMapping;
}

interface LolduEntry {
  readonly path: string;
  readonly layer: TfLayer;
  /** Frozen `(P·L_r)ᵀ` in tfjs orientation `[r, out]` and `U_rᵀ` `[in, r]`. */
  readonly left: TfTensor;
  readonly right: TfTensor;
  readonly z: TfVariable;
  readonly sigma: TfVariable;
  readonly restore: () => void;
}

/**
 * LoLDU (Shi et al. 2024) on Dense layers: W = P·L·D·U by pivoted LU (float64, once per layer);
 * W_res = W − σ·P·L_r·diag(z)·U_r with z = D_r, σ = α/r; only z (r numbers) and σ train.
 * The forward is W_res + σ·P·L_r·diag(z)·U_r, equal to W at init.
 */
export class LolduModel {
  private readonly entries: LolduEntry[] = [];
  private merged = false;

  constructor(
    private readonly runtime: TfRuntime,
    readonly model: TfLayersModel,
    options: LolduOptions,
  ) {
    const tf = runtime.tf;
    const layers = collectLayers(model, options.nameMapping);
    for (const { path, layer } of layers) {
      if (!matchesModuleList(path, options.targetModules)) continue;
      if (layer.getClassName() !== 'Dense')
        throw peftError(
          'E_CONFIG',
          `LoLDU target "${path}" is a ${layer.getClassName()}; LoLDU wraps Dense layers`,
        );
      const kernel = internals(layer).kernel!;
      const [inDim, out] = kernel.shape as [number, number];
      const r = Math.min(options.r ?? 8, inDim, out);
      const sigma0 = (options.alpha ?? r) / r;
      // PyTorch orientation W [out, in] = kernelᵀ.
      const k = kernel.read().dataSync();
      const w = new Float64Array(out * inDim);
      for (let i = 0; i < inDim; i++) for (let o = 0; o < out; o++) w[o * inDim + i] = k[i * out + o]!;
      const { l, u, perm, k: rank } = luDecompose(w, out, inDim);
      const d = new Float64Array(r);
      for (let c = 0; c < r; c++) d[c] = u[c * inDim + c]!;
      // left = (P·L_r)ᵀ [r, out]: row perm[i] of P·L is row i of L.
      const left = new Float32Array(r * out);
      for (let i = 0; i < out; i++) for (let c = 0; c < r; c++) left[c * out + perm[i]!] = l[i * rank + c]!;
      // right = (D⁻¹U)_rᵀ [in, r]; a zero pivot keeps its (zero) row.
      const right = new Float32Array(inDim * r);
      for (let c = 0; c < r; c++)
        for (let j = 0; j < inDim; j++) right[j * r + c] = d[c] !== 0 ? u[c * inDim + j]! / d[c]! : 0;
      const leftT = tf.tensor2d(left, [r, out]);
      const rightT = tf.tensor2d(right, [inDim, r]);
      const z = tf.variable(tf.tensor1d(Float32Array.from(d)), true);
      const sigma = tf.variable(tf.scalar(sigma0), true);
      // W_res in tfjs orientation: kernel − σ·rightᵀ… i.e. kernel − σ·right·diag(z)·left.
      const residual = tf.tidy(() =>
        tf.sub(kernel.read(), tf.mul(tf.matMul(tf.mul(rightT, z), leftT), sigma)),
      );
      kernel.write(residual);
      residual.dispose();
      const entry: LolduEntry = {
        path,
        layer,
        left: leftT,
        right: rightT,
        z,
        sigma,
        restore: wrapLayerCall(layer, ({ base, activate, input }) => {
          if (this.merged) return activate(base());
          const flat = input.reshape([-1, inDim]);
          const delta = tf.mul(tf.matMul(tf.mul(tf.matMul(flat, rightT), z), leftT), sigma);
          return activate(tf.add(base(), delta.reshape([...input.shape.slice(0, -1), out])));
        }),
      };
      this.entries.push(entry);
    }
    if (this.entries.length === 0)
      throw peftError(
        'E_CONFIG',
        `LoLDU target_modules ${JSON.stringify(options.targetModules)} matched no layer`,
      );
  }

  trainableVariables(): TfVariable[] {
    return this.entries.flatMap((e) => [e.z, e.sigma]);
  }

  /** Trainable parameter count: r + 1 per layer. */
  trainableParameterCount(): number {
    return this.entries.reduce((sum, e) => sum + e.z.size + 1, 0);
  }

  private update(sign: 1 | -1): void {
    const tf = this.runtime.tf;
    for (const entry of this.entries) {
      const kernel = internals(entry.layer).kernel!;
      const next = tf.tidy(() =>
        tf.add(
          kernel.read(),
          tf.mul(tf.matMul(tf.mul(entry.right, entry.z), entry.left), tf.mul(entry.sigma, sign)),
        ),
      );
      kernel.write(next);
      next.dispose();
    }
  }

  merge(): void {
    if (this.merged) return;
    this.update(1);
    this.merged = true;
  }

  unmerge(): void {
    if (!this.merged) return;
    this.update(-1);
    this.merged = false;
  }

  /** Merges and removes the wrappers; returns the plain model. */
  mergeAndUnload(): TfLayersModel {
    this.merge();
    for (const entry of this.entries) {
      entry.restore();
      entry.left.dispose();
      entry.right.dispose();
      entry.z.dispose();
      entry.sigma.dispose();
    }
    this.entries.length = 0;
    return this.model;
  }
}
