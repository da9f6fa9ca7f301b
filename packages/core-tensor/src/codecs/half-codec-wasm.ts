/**
 * The part the BF16 and F16 WebAssembly codecs share: a module of two functions `enc(src, dst, n)` and
 * `dec(src, dst, n)` over the module's own 6-page memory, and the JS runner that streams arrays through
 * it in cache-sized chunks. Each codec supplies only its two function bodies.
 */

import { WASM_I32, type WasmModuleSpec, wasmOnce } from '../wasm/assemble-module.js';

/** Elements per chunk: 128 KiB of float32 + 64 KiB of 16-bit values, inside the 6-page (384 KiB) memory. */
export const HALF_CODEC_CHUNK = 32768;
const SRC = 0;
const DST = 131072;
/** First byte of the memory the chunks leave free (a codec's constant table may live from here). */
export const HALF_CODEC_FREE = 262144;

export interface HalfCodecKernels {
  /** Encodes `values[start..end)` into `out` at the same indices; `end - start` is a multiple of 8. */
  encode(values: Float32Array, out: Uint16Array, start: number, end: number): void;
  /** Decodes `bits[start..end)` into `out` at the same indices; `end - start` is a multiple of 8. */
  decode(bits: Uint16Array, out: Float32Array, start: number, end: number): void;
}

/**
 * The codec's kernels (compiled on first use), or undefined without WebAssembly SIMD. `init` runs once
 * on the module memory (e.g. to write a constant table at HALF_CODEC_FREE).
 */
export function halfCodecKernels(
  encodeBody: () => number[],
  decodeBody: () => number[],
  init?: (memory: WebAssembly.Memory) => void,
): () => HalfCodecKernels | undefined {
  const spec = (): WasmModuleSpec => ({
    types: [{ params: [WASM_I32, WASM_I32, WASM_I32], results: [] }],
    functions: [
      { name: 'enc', type: 0, body: encodeBody() },
      { name: 'dec', type: 0, body: decodeBody() },
    ],
    memoryPages: 6,
  });
  return wasmOnce(spec, (exports) => {
    const memory = exports.mem as WebAssembly.Memory;
    init?.(memory);
    const enc = exports.enc as (src: number, dst: number, n: number) => void;
    const dec = exports.dec as (src: number, dst: number, n: number) => void;
    const f32 = new Float32Array(memory.buffer, SRC, HALF_CODEC_CHUNK);
    const u16Out = new Uint16Array(memory.buffer, DST, HALF_CODEC_CHUNK);
    const u16In = new Uint16Array(memory.buffer, SRC, HALF_CODEC_CHUNK);
    const f32Out = new Float32Array(memory.buffer, DST, HALF_CODEC_CHUNK);
    return {
      encode(values, out, start, end) {
        for (let s = start; s < end; s += HALF_CODEC_CHUNK) {
          const n = Math.min(HALF_CODEC_CHUNK, end - s);
          f32.set(values.subarray(s, s + n));
          enc(SRC, DST, n);
          out.set(n === HALF_CODEC_CHUNK ? u16Out : u16Out.subarray(0, n), s);
        }
      },
      decode(bits, out, start, end) {
        for (let s = start; s < end; s += HALF_CODEC_CHUNK) {
          const n = Math.min(HALF_CODEC_CHUNK, end - s);
          u16In.set(bits.subarray(s, s + n));
          dec(SRC, DST, n);
          out.set(n === HALF_CODEC_CHUNK ? f32Out : f32Out.subarray(0, n), s);
        }
      },
    };
  });
}
