/**
 * Decoders for the two OCP 8-bit float formats stored by safetensors:
 * `F8_E4M3` is E4M3FN (bias 7, no infinities, max 448, NaN = S.1111.111) and
 * `F8_E5M2` is IEEE-like (bias 15, Inf and NaN at exponent 31). Decoding is a
 * 256-entry table lookup; encoding is not provided.
 */

let e4m3Table: Float32Array | undefined;
let e5m2Table: Float32Array | undefined;

function decodeE4M3(byte: number): number {
  const sign = byte & 0x80 ? -1 : 1;
  const exponent = (byte >>> 3) & 0xf;
  const mantissa = byte & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * (1 + mantissa / 8) * 2 ** (exponent - 7);
}

function decodeE5M2(byte: number): number {
  const sign = byte & 0x80 ? -1 : 1;
  const exponent = (byte >>> 2) & 0x1f;
  const mantissa = byte & 0x3;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -16;
  return sign * (1 + mantissa / 4) * 2 ** (exponent - 15);
}

function buildTable(decode: (byte: number) => number): Float32Array {
  const out = new Float32Array(256);
  for (let b = 0; b < 256; b++) out[b] = decode(b);
  return out;
}

function lookup(bits: Uint8Array, out: Float32Array, values: Float32Array, name: string): Float32Array {
  if (out.length < bits.length)
    throw new RangeError(`${name}: out has ${out.length} elements, need ${bits.length}`);
  const n = bits.length;
  for (let i = 0; i < n; i++) out[i] = values[bits[i]!]!;
  return out;
}

/** Decodes F8 E4M3FN bytes to float32 (exact). */
export function f8E4M3ToF32(
  bits: Uint8Array,
  out: Float32Array = new Float32Array(bits.length),
): Float32Array {
  e4m3Table ??= buildTable(decodeE4M3);
  return lookup(bits, out, e4m3Table, 'f8E4M3ToF32');
}

/** Decodes F8 E5M2 bytes to float32 (exact). */
export function f8E5M2ToF32(
  bits: Uint8Array,
  out: Float32Array = new Float32Array(bits.length),
): Float32Array {
  e5m2Table ??= buildTable(decodeE5M2);
  return lookup(bits, out, e5m2Table, 'f8E5M2ToF32');
}
