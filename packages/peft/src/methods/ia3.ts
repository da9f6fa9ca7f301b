import { matchesModuleList } from '../config/target-modules.js';
import { peftError } from '../errors.js';
import { type FloatTensor, floatTensor } from '../io/float-tensor.js';
import { KEY_PREFIX } from '../io/lora-adapter.js';
import { collectLayers, type NameMapping } from '../layers/peft-model.js';
import type { TfLayersModel, TfRuntime, TfVariable } from '../layers/tf-types.js';
import { internals } from '../layers/tf-types.js';
import { wrapLayerCall } from '../layers/wrap-call.js';

export interface Ia3Options {
  /** PEFT list/regex rule on HF module paths. */
  readonly targetModules: readonly string[] | string;
  /** Targets that scale their input (PEFT's `feedforward_modules`); the others scale their output. */
  readonly feedforwardModules?: readonly string[] | string;
  readonly nameMapping?: NameMapping;
}

interface Ia3Entry {
  readonly path: string;
  readonly feedforward: boolean;
  readonly vector: TfVariable;
  readonly restore: () => void;
  readonly layer: ReturnType<typeof collectLayers>[number]['layer'];
}

/**
 * IA³ on Dense layers: a learned vector l, initialised to ones, rescales the layer's output
 * (`(x·W + b) ⊙ l`) or, for feed-forward modules, its input (`(x ⊙ l)·W + b`). Saved as PEFT's
 * `…<module>.ia3_l` with shape `[out, 1]` or `[1, in]`.
 */
export class Ia3Model {
  private readonly entries: Ia3Entry[] = [];
  private merged = false;

  constructor(
    private readonly runtime: TfRuntime,
    readonly model: TfLayersModel,
    options: Ia3Options,
  ) {
    const tf = runtime.tf;
    const layers = collectLayers(model, options.nameMapping);
    for (const { path, layer } of layers) {
      if (!matchesModuleList(path, options.targetModules)) continue;
      if (layer.getClassName() !== 'Dense') {
        throw peftError(
          'E_CONFIG',
          `IA³ target "${path}" is a ${layer.getClassName()}; IA³ here wraps Dense layers`,
        );
      }
      const feedforward =
        options.feedforwardModules !== undefined && matchesModuleList(path, options.feedforwardModules);
      const kernel = internals(layer).kernel!;
      const size = feedforward ? kernel.shape[0]! : kernel.shape[1]!;
      const vector = tf.variable(tf.ones([size]), true);
      const restore = wrapLayerCall(layer, ({ base, activate, input }) => {
        if (this.merged) return activate(base());
        if (!feedforward) return activate(tf.mul(base(), vector));
        const scaled = tf.mul(input, vector);
        const inner = internals(layer);
        let z = tf.matMul(scaled.reshape([-1, size]), inner.kernel!.read());
        if (inner.bias) z = tf.add(z, inner.bias.read());
        return activate(z.reshape([...input.shape.slice(0, -1), -1]));
      });
      this.entries.push({ path, feedforward, vector, restore, layer });
    }
    if (this.entries.length === 0) {
      throw peftError(
        'E_CONFIG',
        `IA³ target_modules ${JSON.stringify(options.targetModules)} matched no layer; module paths are: ${layers.map((l) => l.path).join(', ')}`,
      );
    }
  }

  trainableVariables(): TfVariable[] {
    return this.entries.map((e) => e.vector);
  }

  /** Folds l into the kernel (columns for output scaling, rows for input scaling) and bias. */
  merge(): void {
    if (this.merged) return;
    this.apply((value) => value);
    this.merged = true;
  }

  /** Divides the vectors out again. */
  unmerge(): void {
    if (!this.merged) return;
    this.apply((value) => this.runtime.tf.div(1, value));
    this.merged = false;
  }

  private apply(transform: (v: TfVariable) => ReturnType<TfRuntime['tf']['div']> | TfVariable): void {
    const tf = this.runtime.tf;
    for (const entry of this.entries) {
      const inner = internals(entry.layer);
      const kernel = inner.kernel!;
      const next = tf.tidy(() => {
        const factor = transform(entry.vector);
        return entry.feedforward
          ? tf.mul(kernel.read(), factor.reshape([-1, 1]))
          : tf.mul(kernel.read(), factor);
      });
      kernel.write(next);
      next.dispose();
      if (!entry.feedforward && inner.bias) {
        const bias = inner.bias;
        const nextBias = tf.tidy(() => tf.mul(bias.read(), transform(entry.vector)));
        bias.write(nextBias);
        nextBias.dispose();
      }
    }
  }

  /** PEFT state dict: `base_model.model.<module>.ia3_l`, `[out, 1]` or `[1, in]`. */
  stateDict(): Map<string, FloatTensor> {
    const out = new Map<string, FloatTensor>();
    for (const entry of this.entries) {
      const data = Float32Array.from(entry.vector.dataSync());
      out.set(
        `${KEY_PREFIX}${entry.path}.ia3_l`,
        floatTensor(entry.feedforward ? [1, data.length] : [data.length, 1], data),
      );
    }
    return out;
  }

  /** Loads PEFT `…<module>.ia3_l` vectors, checking every key and shape (errors name the tensor). */
  loadStateDict(tensors: ReadonlyMap<string, FloatTensor>): void {
    const byKey = new Map(this.entries.map((e) => [`${KEY_PREFIX}${e.path}.ia3_l`, e]));
    const updates: [Ia3Entry, Float32Array][] = [];
    for (const [key, tensor] of tensors) {
      const entry = byKey.get(key);
      if (!entry) {
        throw peftError(
          'E_CONFIG',
          `tensor "${key}" matches no IA³ module; expected keys: ${[...byKey.keys()].join(', ')}`,
        );
      }
      const size = entry.vector.size;
      const want = entry.feedforward ? [1, size] : [size, 1];
      if (tensor.shape.length !== 2 || tensor.shape[0] !== want[0] || tensor.shape[1] !== want[1]) {
        throw peftError(
          'E_SHAPE_MISMATCH',
          `tensor "${key}" has shape [${tensor.shape.join(', ')}], expected [${want.join(', ')}]`,
        );
      }
      updates.push([entry, tensor.data]);
    }
    for (const [entry, data] of updates) {
      const t = this.runtime.tf.tensor1d(data);
      entry.vector.assign(t);
      t.dispose();
    }
  }

  /** Restores every layer's call (merged vectors stay in the weights). */
  unload(): TfLayersModel {
    for (const entry of this.entries) {
      entry.restore();
      entry.vector.dispose();
    }
    this.entries.length = 0;
    return this.model;
  }
}
