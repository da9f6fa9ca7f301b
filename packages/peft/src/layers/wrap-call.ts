import {
  internals,
  type LayerInternals,
  LINEAR_ACTIVATION,
  singleInput,
  type TfLayer,
  type TfTensor,
} from './tf-types.js';

export interface WrappedCall {
  /** The layer's own output with its activation deferred (pre-activation). */
  readonly base: () => TfTensor;
  /** The layer's activation (identity when it has none). */
  readonly activate: (x: TfTensor) => TfTensor;
  readonly input: TfTensor;
  readonly training: boolean;
}

/**
 * Replaces `layer.call` with `fn`, which gets the layer's pre-activation output and its activation;
 * returns a function restoring the original call. Used by IA³, SSF, LoLDU, adapters and subspace training.
 */
export function wrapLayerCall(layer: TfLayer, fn: (call: WrappedCall) => TfTensor): () => void {
  const inner: LayerInternals = internals(layer);
  const original = inner.call;
  inner.call = (inputs, kwargs) => {
    const activation = inner.activation ?? null;
    const base = () => {
      if (activation) inner.activation = LINEAR_ACTIVATION;
      try {
        return singleInput(original.call(layer, inputs, kwargs) as TfTensor | TfTensor[]);
      } finally {
        if (activation) inner.activation = activation;
      }
    };
    return fn({
      base,
      activate: (x) => (activation ? activation.apply(x) : x),
      input: singleInput(inputs),
      training: kwargs.training === true,
    });
  };
  return () => {
    inner.call = original;
  };
}
