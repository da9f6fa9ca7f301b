/**
 * WebAssembly SIMD kernels for the F16 codecs, assembled from their bytes with `assembleModule`
 * and compiled on first use, like the BF16 ones. WebAssembly has no f16 instructions, so both
 * directions are i32x4 bit manipulation with lane masks; the only float instructions are one exact
 * subtraction (decode) and one correctly rounded addition (encode) for the subnormal range, where
 * WebAssembly's IEEE round-to-nearest-even does the rounding. Every lane follows the scalar codec of
 * `f16.ts` bit for bit (tests check all 65,536 decodes and the encode rounding boundaries).
 * Data goes through the module's own memory in cache-sized chunks. Returns undefined where
 * WebAssembly SIMD is unavailable; callers then use the scalar loops.
 */

import {
  addToLocal,
  i32Const,
  localGet,
  localSet,
  loopWhileBelow,
  simdOp,
  uleb,
  WASM_I32,
} from '../wasm/assemble-module.js';
import {
  HALF_CODEC_CHUNK,
  HALF_CODEC_FREE,
  type HalfCodecKernels,
  halfCodecKernels,
} from './half-codec-wasm.js';

export const F16_WASM_CHUNK = HALF_CODEC_CHUNK;

const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const V128_AND = 0x4e;
const V128_OR = 0x50;
const V128_BITSELECT = 0x52;
const I16X8_NARROW_I32X4_U = 0x86;
const I32X4_LT_S = 0x39;
const I32X4_GT_S = 0x3b;
const I32X4_EXTEND_LOW_I16X8_S = 0xa7;
const I32X4_EXTEND_HIGH_I16X8_S = 0xa8;
const I32X4_SHL = 0xab;
const I32X4_SHR_U = 0xad;
const I32X4_ADD = 0xae;
const I32X4_SUB = 0xb1;
const I32X4_MIN_U = 0xb7;
const F32X4_ADD = 0xe4;
const F32X4_SUB = 0xe5;

/** Locals after the (src, dst, n) params: 3 end (i32), then v128 scratch. */
const END = 3;
const V = 4; // loaded vector
const H = 5; // decode: f16 bits sign-extended to i32 lanes; encode: float32 bits
const A = 6; // decode: (h & 0x7fff) << 13; encode: |x| bits
const E = 7; // decode: h & 0x7fff; encode: |x| >>> 13

const memarg = (offset: number): number[] => [0x04, ...uleb(offset)];

/**
 * Lane constants are loaded from memory (CONSTANTS, filled in once by the binding) into v128 locals
 * before the loop. V8 folds a `v128.const` into every use inside the loop and rebuilds it on each
 * iteration (three instructions apiece); a load it cannot fold, so the values stay in registers.
 */
// biome-ignore format: one line per kernel
const CONSTANTS = [
  0x7fff, 0x7bff, 0x400, 0x38800000, 0x38000000, 0x80000000, // decode
  0x7fffffff, 0x3f000000, 0xfff - 0x38000000, 1, 0x7c00, 0x3ff, 0x200, 0x7f800000, 0x8000, // encode
] as const;
type LaneConstant = (typeof CONSTANTS)[number];
/** Byte address of the constant table: after the two chunk buffers. */
const CONSTANTS_AT = HALF_CODEC_FREE;
const FIRST_CONSTANT = 8;
function constantLocal(value: LaneConstant): number {
  const index = CONSTANTS.indexOf(value);
  if (index < 0) throw new Error(`f16-wasm: lane constant ${value} is missing from CONSTANTS`);
  return FIRST_CONSTANT + index;
}
const k = (value: LaneConstant): number[] => localGet(constantLocal(value));
/** Loads every constant into its local (unused ones cost a load before the loop, nothing inside it). */
const loadConstants = (): number[] =>
  CONSTANTS.flatMap((value) => [
    ...i32Const(0),
    ...simdOp(V128_LOAD),
    ...memarg(CONSTANTS_AT + 16 * CONSTANTS.indexOf(value)),
    ...localSet(constantLocal(value)),
  ]);

/**
 * Float32 bits of the 4 F16 lanes (sign-extended to i32) in local H, left on the stack:
 * normal h -> ((h & 0x7fff) << 13) + (112 << 23); exponent 31 (Inf, NaN: payload kept, not quieted)
 * -> + (224 << 23); exponent 0 -> float(2^-14 + m * 2^-24) - 2^-14 = m * 2^-24 exactly (Sterbenz),
 * which also gives +0 for m = 0 and normalises subnormals without a per-lane shift count. Then the sign.
 */
const decodeLanes = (): number[] => [
  ...localGet(H),
  ...k(0x7fff),
  ...simdOp(V128_AND),
  ...localSet(E),
  ...localGet(E),
  ...i32Const(13),
  ...simdOp(I32X4_SHL),
  ...localSet(A),
  // subnormal or zero
  ...localGet(A),
  ...k(0x38800000),
  ...simdOp(I32X4_ADD),
  ...k(0x38800000), // 2^-14
  ...simdOp(F32X4_SUB),
  // normal, Inf, NaN: rebias by 112, or by 224 where the exponent is all ones (h & 0x7fff > 0x7bff)
  ...localGet(A),
  ...k(0x38000000),
  ...simdOp(I32X4_ADD),
  ...localGet(E),
  ...k(0x7bff),
  ...simdOp(I32X4_GT_S),
  ...k(0x38000000),
  ...simdOp(V128_AND),
  ...simdOp(I32X4_ADD),
  // exponent 0 (h & 0x7fff < 0x400) selects the first
  ...localGet(E),
  ...k(0x400),
  ...simdOp(I32X4_LT_S),
  ...simdOp(V128_BITSELECT),
  ...localGet(H),
  ...k(0x80000000),
  ...simdOp(V128_AND),
  ...simdOp(V128_OR),
];

/**
 * F16 bits (low half of each i32 lane) of the 4 float32 lanes in local H, left on the stack:
 * |x| >= 2^-14: rebias and round the 13 dropped bits to nearest even, clamped to 0x7c00 (this covers
 * overflow from the 65520 midpoint up, Inf and, before the fix-up below, NaN);
 * |x| < 2^-14: float(|x| + 0.5) has an ulp of 2^-24, the F16 subnormal step, so the addition rounds
 * to nearest even and the low bits are the F16 bits (0x400 when it carries into the smallest normal);
 * NaN: 0x7e00 | top 10 payload bits (quieted). Then the sign.
 */
const encodeLanes = (offset: number): number[] => [
  ...localGet(0),
  ...simdOp(V128_LOAD),
  ...memarg(offset),
  ...localSet(H),
  ...localGet(H),
  ...k(0x7fffffff),
  ...simdOp(V128_AND),
  ...localSet(A),
  ...localGet(A),
  ...i32Const(13),
  ...simdOp(I32X4_SHR_U),
  ...localSet(E),
  // subnormal or zero
  ...localGet(A),
  ...k(0x3f000000), // 0.5
  ...simdOp(F32X4_ADD),
  ...k(0x3f000000),
  ...simdOp(I32X4_SUB),
  // normal: min_u((|x| - (112 << 23) + 0xfff + ((|x| >>> 13) & 1)) >>> 13, 0x7c00)
  ...localGet(A),
  ...k(0xfff - 0x38000000),
  ...simdOp(I32X4_ADD),
  ...localGet(E),
  ...k(1),
  ...simdOp(V128_AND),
  ...simdOp(I32X4_ADD),
  ...i32Const(13),
  ...simdOp(I32X4_SHR_U),
  ...k(0x7c00),
  ...simdOp(I32X4_MIN_U),
  // |x| < 2^-14 selects the first (|x| is non-negative, so signed compares are exact)
  ...localGet(A),
  ...k(0x38800000),
  ...simdOp(I32X4_LT_S),
  ...simdOp(V128_BITSELECT),
  // NaN lanes hold 0x7c00 here: add the quiet bit and the payload
  ...localGet(E),
  ...k(0x3ff),
  ...simdOp(V128_AND),
  ...k(0x200),
  ...simdOp(V128_OR),
  ...localGet(A),
  ...k(0x7f800000),
  ...simdOp(I32X4_GT_S),
  ...simdOp(V128_AND),
  ...simdOp(V128_OR),
  // sign
  ...localGet(H),
  ...i32Const(16),
  ...simdOp(I32X4_SHR_U),
  ...k(0x8000),
  ...simdOp(V128_AND),
  ...simdOp(V128_OR),
];

/** `loop` over params (src, dst, n): exits when src reaches src + n * srcBytes. */
const body = (srcBytes: number, srcStep: number, dstStep: number, step: number[]): number[] => [
  0x02,
  0x01,
  WASM_I32, // local 3: end
  ...uleb(4 + CONSTANTS.length),
  0x7b, // locals 4..7 scratch, then the constants: v128
  ...loadConstants(),
  ...localGet(0),
  ...localGet(2),
  ...i32Const(Math.log2(srcBytes)),
  0x74, // i32.shl
  0x6a, // i32.add
  ...localSet(END),
  ...loopWhileBelow(0, END, [...step, ...addToLocal(0, srcStep), ...addToLocal(1, dstStep)]),
  0x0b,
];

// enc: 8 float32 (two loads) -> 8 f16 (one store) per step
const encodeBody = (): number[] =>
  body(4, 32, 16, [
    ...localGet(1),
    ...encodeLanes(0),
    ...encodeLanes(16),
    ...simdOp(I16X8_NARROW_I32X4_U), // lanes are 0..0xffff: no saturation
    ...simdOp(V128_STORE),
    ...memarg(0),
  ]);

// dec: 8 f16 (one load) -> 8 float32 (two stores)
const decodeHalf = (extend: number, offset: number): number[] => [
  ...localGet(1),
  ...localGet(V),
  ...simdOp(extend),
  ...localSet(H),
  ...decodeLanes(),
  ...simdOp(V128_STORE),
  ...memarg(offset),
];
const decodeBody = (): number[] =>
  body(2, 16, 32, [
    ...localGet(0),
    ...simdOp(V128_LOAD),
    ...memarg(0),
    ...localSet(V),
    ...decodeHalf(I32X4_EXTEND_LOW_I16X8_S, 0),
    ...decodeHalf(I32X4_EXTEND_HIGH_I16X8_S, 16),
  ]);

export type F16Kernels = HalfCodecKernels;

/** The SIMD kernels, or undefined when this runtime has no WebAssembly SIMD. */
export const f16WasmKernels: () => F16Kernels | undefined = halfCodecKernels(
  encodeBody,
  decodeBody,
  (memory) => {
    const table = new Int32Array(memory.buffer, CONSTANTS_AT, 4 * CONSTANTS.length);
    for (const [i, value] of CONSTANTS.entries()) table.fill(value, 4 * i, 4 * i + 4);
  },
);
