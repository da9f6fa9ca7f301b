import { type DType, dtypeByteSize } from '../dtype.js';
import { numelOf } from '../tensor.js';

/** A tensor to be written: known before its data. */
export interface TensorSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * Rank of each dtype in the reference implementation's `Dtype` enum, which is in
 * increasing alignment order. Writers sort by descending rank, then name, so every
 * tensor starts at an offset aligned to its element size.
 */
const DTYPE_RANK: Readonly<Record<DType, number>> = {
  BOOL: 0,
  U8: 1,
  I8: 2,
  F8_E5M2: 3,
  F8_E4M3: 4,
  I16: 5,
  F16: 7,
  BF16: 8,
  I32: 9,
  F32: 11,
  F64: 12,
  I64: 13,
};

export interface SafetensorsLayout {
  /** The 8-byte little-endian length followed by the JSON header padded with spaces to a multiple of 8. */
  readonly header: Uint8Array;
  /** File offset of the data section (`header.byteLength`). */
  readonly dataStart: number;
  readonly dataSize: number;
  /** Tensors in file order. */
  readonly order: readonly (TensorSpec & { readonly begin: number; readonly end: number })[];
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sizes of one tensor in bytes. */
export function specByteLength(spec: TensorSpec): number {
  return numelOf(spec.shape) * dtypeByteSize(spec.dtype);
}

/**
 * Lays out one safetensors file byte for byte as the reference writer does: tensors
 * sorted by descending dtype alignment then name, compact JSON with `__metadata__`
 * first (keys sorted), padded with spaces to a multiple of 8 bytes.
 */
export function planSafetensorsLayout(
  specs: readonly TensorSpec[],
  metadata?: Readonly<Record<string, string>>,
): SafetensorsLayout {
  const sorted = [...specs].sort(
    (a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareNames(a.name, b.name),
  );
  let offset = 0;
  const order = sorted.map((spec) => {
    const begin = offset;
    offset += specByteLength(spec);
    return { name: spec.name, dtype: spec.dtype, shape: [...spec.shape], begin, end: offset };
  });
  // Built by hand: JSON.stringify of an object would move integer-like names first.
  const parts: string[] = [];
  const metaKeys = metadata ? Object.keys(metadata).sort(compareNames) : [];
  if (metadata && metaKeys.length > 0) {
    const fields = metaKeys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(metadata[key])}`);
    parts.push(`"__metadata__":{${fields.join(',')}}`);
  }
  for (const entry of order) {
    parts.push(
      `${JSON.stringify(entry.name)}:{"dtype":"${entry.dtype}","shape":[${entry.shape.join(',')}],"data_offsets":[${entry.begin},${entry.end}]}`,
    );
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const header = new Uint8Array(8 + padded);
  const view = new DataView(header.buffer);
  view.setUint32(0, padded % 2 ** 32, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  header.set(json, 8);
  header.fill(0x20, 8 + json.byteLength);
  return { header, dataStart: header.byteLength, dataSize: offset, order };
}
