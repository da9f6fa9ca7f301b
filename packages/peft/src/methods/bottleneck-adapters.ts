import { createRandom } from '@modelsmith/core-tensor';
import { matchesModuleList } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { collectLayers, type NameMapping } from '../layers/peft-model.js';
import type { TfLayersModel, TfRuntime, TfTensor, TfVariable } from '../layers/tf-types.js';
import { wrapLayerCall } from '../layers/wrap-call.js';

/**
 * Presets: `houlsby` and `pfeiffer` are sequential (h + f(h·W_down)·W_up on the layer's output;
 * they differ in placement — Houlsby after attention and FFN output projections and with LayerNorm
 * trained, Pfeiffer after the FFN only — which the caller expresses through `targetModules`);
 * `parallel` reads the layer input (h + f(x·W_down)·W_up); `scaled_parallel` (the FFN part of MAM)
 * multiplies the parallel branch by s = 4.
 */
export type AdapterPreset = 'houlsby' | 'pfeiffer' | 'parallel' | 'scaled_parallel';

export interface BottleneckAdapterOptions {
  readonly targetModules: readonly string[] | string;
  readonly preset: AdapterPreset;
  /** Bottleneck width m. */
  readonly bottleneck: number;
  /** Branch scaling s (default 1; 4 for scaled_parallel). */
  readonly scaling?: number;
  readonly activation?: 'relu' | 'gelu' | 'tanh';
  readonly seed?: number;
  readonly nameMapping?: NameMapping;
}

/**
 * Bottleneck adapters on Dense layers. W_up starts at zero, so the model is unchanged at init
 * (the "near identity" start). Adapters are non-linear: they cannot be merged into the weights.
 */
export class BottleneckAdapterModel {
  private readonly variables: TfVariable[] = [];
  private readonly restores: (() => void)[] = [];
  enabled = true;

  constructor(
    runtime: TfRuntime,
    readonly model: TfLayersModel,
    options: BottleneckAdapterOptions,
  ) {
    const tf = runtime.tf;
    const parallel = options.preset === 'parallel' || options.preset === 'scaled_parallel';
    const s = options.scaling ?? (options.preset === 'scaled_parallel' ? 4 : 1);
    const act = (x: TfTensor) =>
      options.activation === 'tanh'
        ? tf.tanh(x)
        : options.activation === 'gelu'
          ? geluTanh(tf, x)
          : tf.relu(x);
    for (const { path, layer } of collectLayers(model, options.nameMapping)) {
      if (!matchesModuleList(path, options.targetModules)) continue;
      if (layer.getClassName() !== 'Dense')
        throw peftError(
          'E_CONFIG',
          `adapter target "${path}" is a ${layer.getClassName()}; bottleneck adapters wrap Dense layers`,
        );
      const kernelShape = layer.getWeights()[0]!.shape as [number, number];
      const readDim = parallel ? kernelShape[0] : kernelShape[1];
      const m = options.bottleneck;
      const random = createRandom(options.seed ?? 0, 'adapter', path);
      const bound = 1 / Math.sqrt(readDim);
      const down = tf.variable(
        tf.tensor2d(
          Float32Array.from({ length: readDim * m }, (_, i) => (2 * random.uniform(i) - 1) * bound),
          [readDim, m],
        ),
        true,
      );
      const up = tf.variable(tf.zeros([m, kernelShape[1]]), true);
      this.variables.push(down, up);
      this.restores.push(
        wrapLayerCall(layer, ({ base, activate, input }) => {
          const h = activate(base());
          if (!this.enabled) return h;
          const source = parallel ? input : h;
          const flat = source.reshape([-1, source.shape[source.shape.length - 1]!]);
          const branch = tf.matMul(act(tf.matMul(flat, down)), up).reshape(h.shape);
          return tf.add(h, s === 1 ? branch : tf.mul(branch, s));
        }),
      );
    }
    if (this.restores.length === 0)
      throw peftError(
        'E_CONFIG',
        `adapter target_modules ${JSON.stringify(options.targetModules)} matched no layer`,
      );
  }

  trainableVariables(): TfVariable[] {
    return [...this.variables];
  }

  /** Removes the adapters and returns the base model. */
  unload(): TfLayersModel {
    for (const restore of this.restores) restore();
    for (const v of this.variables) v.dispose();
    this.restores.length = 0;
    this.variables.length = 0;
    return this.model;
  }
}

function geluTanh(tf: TfRuntime['tf'], x: TfTensor): TfTensor {
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  return tf.mul(
    tf.mul(x, 0.5),
    tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
  );
}
