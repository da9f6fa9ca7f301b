/**
 * A 4-function WebAssembly SIMD kernel for the BF16 codecs, assembled here from its
 * bytes (no build step, no binary file) and compiled on first use. V8's scalar loops
 * top out near a quarter of memcpy for F32 -> BF16; 128-bit lanes do 8 elements per
 * step. Data goes through the module's own memory in cache-sized chunks, so the extra
 * copies stay in L2. Returns undefined where WebAssembly SIMD is unavailable; callers
 * then use the scalar loops.
 */

/** Elements per chunk: 128 KiB of float32 + 64 KiB of bf16, inside the 6-page (384 KiB) memory. */
export const BF16_WASM_CHUNK = 32768;
const SRC = 0;
const DST = 131072;

const leb = (value: number): number[] => {
  const out: number[] = [];
  let n = value;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const simd = (opcode: number): number[] => [0xfd, ...leb(opcode)];
const splat32 = (value: number): number[] => {
  const lanes: number[] = [];
  for (let i = 0; i < 4; i++)
    lanes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  return [...simd(0x0c), ...lanes]; // v128.const
};
const get = (index: number): number[] => [0x20, index];
const set = (index: number): number[] => [0x21, index];
const i32 = (value: number): number[] => [0x41, ...leb(value)]; // small non-negative constants only
const I32X4_SHL = 0xab;
const I32X4_SHR_U = 0xad;
const I32X4_ADD = 0xae;
const V128_AND = 0x4e;
const V128_OR = 0x50;

/** Rounds the 4 float32 lanes at `src + offset` to BF16 bits (in the low half of each i32 lane). */
const roundLanes = (offset: number): number[] => [
  ...get(0),
  ...simd(0x00), // v128.load
  0x04,
  ...leb(offset),
  ...set(4),
  // NaN: (x >>> 16) | 0x40, quieted
  ...get(4),
  ...i32(16),
  ...simd(I32X4_SHR_U),
  ...splat32(0x40),
  ...simd(V128_OR),
  // otherwise (x + 0x7fff + ((x >>> 16) & 1)) >>> 16: round to nearest, ties to even
  ...get(4),
  ...get(4),
  ...i32(16),
  ...simd(I32X4_SHR_U),
  ...splat32(1),
  ...simd(V128_AND),
  ...splat32(0x7fff),
  ...simd(I32X4_ADD),
  ...simd(I32X4_ADD),
  ...i32(16),
  ...simd(I32X4_SHR_U),
  // lanes where (x & 0x7fffffff) > 0x7f800000 (unsigned) are NaN
  ...get(4),
  ...splat32(0x7fffffff),
  ...simd(V128_AND),
  ...splat32(0x7f800000),
  ...simd(0x3c), // i32x4.gt_u
  ...simd(0x52), // v128.bitselect(nan, rounded, mask)
];

/** `loop` over params (src, dst, n): exits when src reaches src + n * srcBytes. */
const body = (srcBytes: number, srcStep: number, dstStep: number, step: number[]): number[] => [
  0x02,
  0x01,
  0x7f, // local 3: end (i32)
  0x01,
  0x7b, // local 4: a (v128)
  ...get(0),
  ...get(2),
  ...i32(Math.log2(srcBytes)),
  0x74, // i32.shl
  0x6a, // i32.add
  ...set(3),
  0x02,
  0x40, // block
  0x03,
  0x40, // loop
  ...get(0),
  ...get(3),
  0x4f, // i32.ge_u
  0x0d,
  0x01, // br_if 1 (leave the block)
  ...step,
  ...get(0),
  ...i32(srcStep),
  0x6a,
  ...set(0),
  ...get(1),
  ...i32(dstStep),
  0x6a,
  ...set(1),
  0x0c,
  0x00, // br 0 (next iteration)
  0x0b,
  0x0b,
  0x0b,
];

// enc: 8 float32 (two loads) -> 8 bf16 (one store) per step
const encodeBody = body(4, 32, 16, [
  ...get(1),
  ...roundLanes(0),
  ...roundLanes(16),
  ...simd(0x86),
  ...simd(0x0b),
  0x04,
  0x00,
]);
// dec: 8 bf16 (one load) -> 8 float32 (two stores): zero-extend to 32 bits, shift left 16
const decodeBody = body(2, 16, 32, [
  ...get(0),
  ...simd(0x00),
  0x04,
  0x00,
  ...set(4),
  ...get(1),
  ...get(4),
  ...simd(0xa9), // i32x4.extend_low_i16x8_u
  ...i32(16),
  ...simd(I32X4_SHL),
  ...simd(0x0b),
  0x04,
  0x00,
  ...get(1),
  ...get(4),
  ...simd(0xaa), // i32x4.extend_high_i16x8_u
  ...i32(16),
  ...simd(I32X4_SHL),
  ...simd(0x0b),
  0x04,
  0x10,
]);

const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

/** `\0asm` and version 1. */
const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...WASM_HEADER,
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]), // type 0: (i32, i32, i32) -> ()
    ...section(3, [0x02, 0x00, 0x00]), // two functions of type 0
    ...section(5, [0x01, 0x00, 0x06]), // one memory, 6 pages
    ...section(7, [0x03, ...name('mem'), 0x02, 0x00, ...name('enc'), 0x00, 0x00, ...name('dec'), 0x00, 0x01]),
    ...section(10, [
      0x02,
      ...leb(encodeBody.length),
      ...encodeBody,
      ...leb(decodeBody.length),
      ...decodeBody,
    ]),
  ]);
}

export interface Bf16Kernels {
  /** Encodes `values[start..end)` into `out` at the same indices; `end - start` is a multiple of 8. */
  encode(values: Float32Array, out: Uint16Array, start: number, end: number): void;
  /** Decodes `bits[start..end)` into `out` at the same indices; `end - start` is a multiple of 8. */
  decode(bits: Uint16Array, out: Float32Array, start: number, end: number): void;
}

let kernels: Bf16Kernels | null | undefined;

/** The SIMD kernels, or undefined when this runtime has no WebAssembly SIMD. */
export function bf16WasmKernels(): Bf16Kernels | undefined {
  if (kernels === undefined) {
    kernels = null;
    const bytes = moduleBytes();
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      const memory = exports.mem as WebAssembly.Memory;
      const enc = exports.enc as (src: number, dst: number, n: number) => void;
      const dec = exports.dec as (src: number, dst: number, n: number) => void;
      const f32 = new Float32Array(memory.buffer, SRC, BF16_WASM_CHUNK);
      const u16Out = new Uint16Array(memory.buffer, DST, BF16_WASM_CHUNK);
      const u16In = new Uint16Array(memory.buffer, SRC, BF16_WASM_CHUNK);
      const f32Out = new Float32Array(memory.buffer, DST, BF16_WASM_CHUNK);
      kernels = {
        encode(values, out, start, end) {
          for (let s = start; s < end; s += BF16_WASM_CHUNK) {
            const n = Math.min(BF16_WASM_CHUNK, end - s);
            f32.set(values.subarray(s, s + n));
            enc(SRC, DST, n);
            out.set(n === BF16_WASM_CHUNK ? u16Out : u16Out.subarray(0, n), s);
          }
        },
        decode(bits, out, start, end) {
          for (let s = start; s < end; s += BF16_WASM_CHUNK) {
            const n = Math.min(BF16_WASM_CHUNK, end - s);
            u16In.set(bits.subarray(s, s + n));
            dec(SRC, DST, n);
            out.set(n === BF16_WASM_CHUNK ? f32Out : f32Out.subarray(0, n), s);
          }
        },
      };
    }
  }
  return kernels ?? undefined;
}
