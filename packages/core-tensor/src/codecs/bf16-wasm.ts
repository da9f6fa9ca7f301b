/**
 * WebAssembly SIMD kernels for the BF16 codecs, assembled from their bytes with
 * `assembleModule` (no build step, no binary file) and compiled on first use. V8's scalar loops
 * top out near a quarter of memcpy for F32 -> BF16; 128-bit lanes do 8 elements per
 * step. Data goes through the module's own memory in cache-sized chunks, so the extra
 * copies stay in L2. Returns undefined where WebAssembly SIMD is unavailable; callers
 * then use the scalar loops.
 */

import {
  addToLocal,
  i32Const,
  i32x4Const,
  localGet,
  localSet,
  loopWhileBelow,
  simdOp,
  uleb,
} from '../wasm/assemble-module.js';
import { HALF_CODEC_CHUNK, type HalfCodecKernels, halfCodecKernels } from './half-codec-wasm.js';

export const BF16_WASM_CHUNK = HALF_CODEC_CHUNK;

const I32X4_SHL = 0xab;
const I32X4_SHR_U = 0xad;
const I32X4_ADD = 0xae;
const V128_AND = 0x4e;
const V128_OR = 0x50;

/**
 * Instructions leaving the BF16 bits (in the low half of each i32 lane) of the 4 float32 lanes in v128
 * local `x` on the stack: round to nearest, ties to even; NaN quieted. Also used by merge's fused kernels.
 */
export const bf16RoundLanes = (x: number): number[] => [
  // NaN: (x >>> 16) | 0x40, quieted
  ...localGet(x),
  ...i32Const(16),
  ...simdOp(I32X4_SHR_U),
  ...i32x4Const(0x40),
  ...simdOp(V128_OR),
  // otherwise (x + 0x7fff + ((x >>> 16) & 1)) >>> 16: round to nearest, ties to even
  ...localGet(x),
  ...localGet(x),
  ...i32Const(16),
  ...simdOp(I32X4_SHR_U),
  ...i32x4Const(1),
  ...simdOp(V128_AND),
  ...i32x4Const(0x7fff),
  ...simdOp(I32X4_ADD),
  ...simdOp(I32X4_ADD),
  ...i32Const(16),
  ...simdOp(I32X4_SHR_U),
  // lanes where (x & 0x7fffffff) > 0x7f800000 (unsigned) are NaN
  ...localGet(x),
  ...i32x4Const(0x7fffffff),
  ...simdOp(V128_AND),
  ...i32x4Const(0x7f800000),
  ...simdOp(0x3c), // i32x4.gt_u
  ...simdOp(0x52), // v128.bitselect(nan, rounded, mask)
];

/** Rounds the 4 float32 lanes at `src + offset` to BF16 bits (in the low half of each i32 lane). */
const roundLanes = (offset: number): number[] => [
  ...localGet(0),
  ...simdOp(0x00), // v128.load
  0x04,
  ...uleb(offset),
  ...localSet(4),
  ...bf16RoundLanes(4),
];

/** `loop` over params (src, dst, n): exits when src reaches src + n * srcBytes. */
const body = (srcBytes: number, srcStep: number, dstStep: number, step: number[]): number[] => [
  0x02,
  0x01,
  0x7f, // local 3: end (i32)
  0x01,
  0x7b, // local 4: a (v128)
  ...localGet(0),
  ...localGet(2),
  ...i32Const(Math.log2(srcBytes)),
  0x74, // i32.shl
  0x6a, // i32.add
  ...localSet(3),
  ...loopWhileBelow(0, 3, [...step, ...addToLocal(0, srcStep), ...addToLocal(1, dstStep)]),
  0x0b,
];

// enc: 8 float32 (two loads) -> 8 bf16 (one store) per step
const encodeBody = body(4, 32, 16, [
  ...localGet(1),
  ...roundLanes(0),
  ...roundLanes(16),
  ...simdOp(0x86),
  ...simdOp(0x0b),
  0x04,
  0x00,
]);
// dec: 8 bf16 (one load) -> 8 float32 (two stores): zero-extend to 32 bits, shift left 16
const decodeBody = body(2, 16, 32, [
  ...localGet(0),
  ...simdOp(0x00),
  0x04,
  0x00,
  ...localSet(4),
  ...localGet(1),
  ...localGet(4),
  ...simdOp(0xa9), // i32x4.extend_low_i16x8_u
  ...i32Const(16),
  ...simdOp(I32X4_SHL),
  ...simdOp(0x0b),
  0x04,
  0x00,
  ...localGet(1),
  ...localGet(4),
  ...simdOp(0xaa), // i32x4.extend_high_i16x8_u
  ...i32Const(16),
  ...simdOp(I32X4_SHL),
  ...simdOp(0x0b),
  0x04,
  0x10,
]);

export type Bf16Kernels = HalfCodecKernels;

/** The SIMD kernels, or undefined when this runtime has no WebAssembly SIMD. */
export const bf16WasmKernels: () => Bf16Kernels | undefined = halfCodecKernels(
  () => encodeBody,
  () => decodeBody,
);
