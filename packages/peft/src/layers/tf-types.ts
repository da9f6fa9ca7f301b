import type * as tfjs from '@tensorflow/tfjs';

/** The tfjs namespace. The package never imports tfjs at runtime; it takes it from the caller's runtime handle. */
export type Tf = typeof tfjs;
export type TfTensor = tfjs.Tensor;
export type TfVariable = tfjs.Variable;
export type TfLayer = tfjs.layers.Layer;
export type TfLayersModel = tfjs.LayersModel;

/** Anything with a `tf` namespace: core-tensor's `Runtime`, or `{ tf }` in tests. */
export interface TfRuntime {
  readonly tf: Tf;
}

type CallFn = (inputs: TfTensor | TfTensor[], kwargs: Record<string, unknown>) => TfTensor | TfTensor[];

/** The fields of tfjs layers that the wrappers read; tfjs keeps them out of its public typings. */
export interface LayerInternals {
  call: CallFn;
  kernel?: { read(): TfVariable; write(value: TfTensor): void; shape: number[] } | null;
  bias?: { read(): TfVariable; write(value: TfTensor): void; shape: number[] } | null;
  embeddings?: { read(): TfVariable; write(value: TfTensor): void; shape: number[] } | null;
  gamma?: { read(): TfVariable; write(value: TfTensor): void; shape: number[] } | null;
  beta?: { read(): TfVariable; write(value: TfTensor): void; shape: number[] } | null;
  activation?: { getClassName(): string; apply(x: TfTensor): TfTensor } | null;
  strides?: number[];
  padding?: 'valid' | 'same';
  dataFormat?: string;
  dilationRate?: number | number[];
  layers?: TfLayer[];
}

export function internals(layer: TfLayer): LayerInternals {
  return layer as unknown as LayerInternals;
}

/** An activation stand-in so the layer's own call returns its pre-activation output. */
export const LINEAR_ACTIVATION = { getClassName: () => 'linear', apply: (x: TfTensor) => x };

/** The first tensor of a call's inputs. */
export function singleInput(inputs: TfTensor | TfTensor[]): TfTensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** Detaches a tensor from autodiff (tfjs has no stop_gradient): identity forward, zero gradient. */
export function stopGradient(tf: Tf, x: TfTensor): TfTensor {
  const f = tf.customGrad((input) => {
    const value = (input as TfTensor).clone();
    return { value, gradFunc: (dy: TfTensor) => tf.zerosLike(dy) };
  });
  return f(x) as TfTensor;
}
