import { createRandom } from '@modelsmith/core-tensor';
import { matchesModuleList } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { collectLayers, type NameMapping } from '../layers/peft-model.js';
import type { TfLayer, TfLayersModel, TfRuntime, TfVariable } from '../layers/tf-types.js';
import { internals } from '../layers/tf-types.js';
import { wrapLayerCall } from '../layers/wrap-call.js';

export interface SsfOptions {
  /** PEFT list/regex rule on module paths; Dense and LayerNormalization layers. */
  readonly targetModules: readonly string[] | string;
  readonly nameMapping?: NameMapping;
  /** Standard deviation of the init noise around γ = 1, β = 0 (default 0: exact identity). */
  readonly initStd?: number;
  readonly seed?: number;
}

interface SsfEntry {
  readonly path: string;
  readonly layer: TfLayer;
  readonly gamma: TfVariable;
  readonly beta: TfVariable;
  readonly restore: () => void;
}

/**
 * SSF (Lian et al. 2022): a channel-wise `y = γ ⊙ z + β` after each target layer's linear output
 * (before its activation). `fold()` re-parameterises it into the layer — Dense: kernel columns ×γ,
 * b′ = γ ⊙ b + β; LayerNormalization: its gamma and beta the same way — at zero inference cost.
 */
export class SsfModel {
  private readonly entries: SsfEntry[] = [];

  constructor(
    private readonly runtime: TfRuntime,
    readonly model: TfLayersModel,
    options: SsfOptions,
  ) {
    const tf = runtime.tf;
    const layers = collectLayers(model, options.nameMapping);
    for (const { path, layer } of layers) {
      if (!matchesModuleList(path, options.targetModules)) continue;
      const kind = layer.getClassName();
      if (kind !== 'Dense' && kind !== 'LayerNormalization') {
        throw peftError(
          'E_CONFIG',
          `SSF target "${path}" is a ${kind}; SSF here follows Dense and LayerNormalization layers`,
        );
      }
      const inner = internals(layer);
      const channels = kind === 'Dense' ? inner.kernel!.shape[1]! : (inner.gamma ?? inner.beta)?.shape[0];
      if (channels === undefined)
        throw peftError('E_CONFIG', `SSF target "${path}" has no affine parameters to fold into`);
      const random = createRandom(options.seed ?? 0, 'ssf', path);
      const std = options.initStd ?? 0;
      const g = Float32Array.from({ length: channels }, (_, i) => 1 + std * random.normal(i));
      const b = Float32Array.from({ length: channels }, (_, i) => std * random.normal(channels + i));
      const gamma = tf.variable(tf.tensor1d(g), true);
      const beta = tf.variable(tf.tensor1d(b), true);
      const restore = wrapLayerCall(layer, ({ base, activate }) =>
        activate(tf.add(tf.mul(base(), gamma), beta)),
      );
      this.entries.push({ path, layer, gamma, beta, restore });
    }
    if (this.entries.length === 0) {
      throw peftError(
        'E_CONFIG',
        `SSF target_modules ${JSON.stringify(options.targetModules)} matched no layer`,
      );
    }
  }

  trainableVariables(): TfVariable[] {
    return this.entries.flatMap((e) => [e.gamma, e.beta]);
  }

  /** Re-parameterises every γ, β into its layer and removes the wrappers; returns the plain model. */
  fold(): TfLayersModel {
    const tf = this.runtime.tf;
    for (const entry of this.entries) {
      const inner = internals(entry.layer);
      const scale = entry.layer.getClassName() === 'Dense' ? inner.kernel : inner.gamma;
      const shift = entry.layer.getClassName() === 'Dense' ? inner.bias : inner.beta;
      if (!shift) {
        const nonzero = entry.beta.dataSync().some((v) => v !== 0);
        if (nonzero)
          throw peftError(
            'E_CONFIG',
            `SSF on "${entry.path}" has a shift β but the layer has no bias to fold it into`,
          );
      }
      if (scale) {
        const next = tf.tidy(() => tf.mul(scale.read(), entry.gamma));
        scale.write(next);
        next.dispose();
      }
      if (shift) {
        const next = tf.tidy(() => tf.add(tf.mul(shift.read(), entry.gamma), entry.beta));
        shift.write(next);
        next.dispose();
      }
      entry.restore();
      entry.gamma.dispose();
      entry.beta.dispose();
    }
    this.entries.length = 0;
    return this.model;
  }
}

/** LN tuning: the gamma/beta variables of LayerNormalization layers (optionally filtered), to train alone. */
export function layerNormVariables(
  model: TfLayersModel,
  targetModules?: readonly string[] | string,
  nameMapping?: NameMapping,
): TfVariable[] {
  const out: TfVariable[] = [];
  for (const { path, layer } of collectLayers(model, nameMapping)) {
    if (layer.getClassName() !== 'LayerNormalization') continue;
    if (targetModules !== undefined && !matchesModuleList(path, targetModules)) continue;
    for (const weight of layer.trainableWeights) out.push(weight.read() as TfVariable);
  }
  if (out.length === 0) throw peftError('E_CONFIG', 'LN tuning found no LayerNormalization layer to train');
  return out;
}
