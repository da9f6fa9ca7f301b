/**
 * WebAssembly SIMD kernel for `KeyedRandom.fillUint32`: the four keyed murmur3-finaliser rounds of
 * `KeyedRandom.uint32` on 4 counters per step (i32x4 multiplies are Math.imul lane by lane, adds wrap
 * like `>>> 0`), so the draws are bit-identical to the scalar method. Assembled from its bytes with
 * `assembleModule`; undefined where WebAssembly SIMD is unavailable (callers then use the scalar method).
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
  type WasmModuleSpec,
  wasmOnce,
} from '../wasm/assemble-module.js';

/** Draws per chunk (64 KiB of output in the module's 2-page memory). */
export const KEYED_HASH_WASM_CHUNK = 16384;
const KEYS = 0; // k0..k3 as i32 at 0, 4, 8, 12
const OUT = 64;

const splat = (value: number): number[] => [...i32Const(value), ...simdOp(0x11)]; // i32x4.splat
const key = (k: number): number[] => [...i32Const(0), ...simdOp(0x09), 0x02, ...uleb(KEYS + 4 * k)]; // v128.load32_splat
const SHR_U = 0xad;
const XOR = 0x51;
const ADD = 0xae;
const MUL = 0xb5; // i32x4.mul

// params: 0 n, 1 low (first counter's low 32 bits), 2 high; locals: 3 p, 4 end (i32), 5 low lanes, 6 h, 7 high (v128)
const P = 3;
const END = 4;
const LOW = 5;
const H = 6;
const HIGH = 7;

const xorShift = (bits: number): number[] => [
  ...localGet(H),
  ...localGet(H),
  ...i32Const(bits),
  ...simdOp(SHR_U),
  ...simdOp(XOR),
  ...localSet(H),
];
const mulBy = (c: number): number[] => [...localGet(H), ...splat(c), ...simdOp(MUL), ...localSet(H)];
const fmix = [...xorShift(16), ...mulBy(0x85ebca6b), ...xorShift(13), ...mulBy(0xc2b2ae35), ...xorShift(16)];

const body = [
  0x02,
  0x02,
  0x7f, // p, end
  0x03,
  0x7b, // low, h, high
  ...localGet(0),
  ...i32Const(2),
  0x74, // n << 2
  ...localSet(END),
  // low lanes = low + [0, 1, 2, 3]
  ...localGet(1),
  ...simdOp(0x11),
  ...simdOp(0x0c),
  ...[0, 1, 2, 3].flatMap((v) => [v, 0, 0, 0]),
  ...simdOp(ADD),
  ...localSet(LOW),
  ...localGet(2),
  ...simdOp(0x11),
  ...localSet(HIGH),
  ...loopWhileBelow(P, END, [
    // x = fmix(low ^ k0)
    ...localGet(LOW),
    ...key(0),
    ...simdOp(XOR),
    ...localSet(H),
    ...fmix,
    // x = fmix(x + k1 + high)
    ...localGet(H),
    ...key(1),
    ...simdOp(ADD),
    ...localGet(HIGH),
    ...simdOp(ADD),
    ...localSet(H),
    ...fmix,
    // x = fmix((x ^ k2) + imul(low, 0x9e3779b9))
    ...localGet(H),
    ...key(2),
    ...simdOp(XOR),
    ...localGet(LOW),
    ...splat(0x9e3779b9),
    ...simdOp(MUL),
    ...simdOp(ADD),
    ...localSet(H),
    ...fmix,
    // fmix(x ^ k3)
    ...localGet(H),
    ...key(3),
    ...simdOp(XOR),
    ...localSet(H),
    ...fmix,
    ...localGet(P),
    ...localGet(H),
    ...simdOp(0x0b), // v128.store
    0x04,
    ...uleb(OUT),
    ...localGet(LOW),
    ...splat(4),
    ...simdOp(ADD),
    ...localSet(LOW),
    ...addToLocal(P, 16),
  ]),
  0x0b,
];

const moduleSpec = (): WasmModuleSpec => ({
  types: [{ params: [WASM_I32, WASM_I32, WASM_I32], results: [] }],
  functions: [{ name: 'hash', type: 0, body }],
  memoryPages: 2,
});

/**
 * Writes draw `low + j` (counter high word `high`) of the stream keyed by k0..k3 into `out[j]`,
 * j < out.length; the caller keeps `low + out.length` ≤ 2³² so the high word is constant.
 */
export type KeyedHashKernel = (
  out: Uint32Array,
  keys: readonly [number, number, number, number],
  low: number,
  high: number,
) => void;

/** The SIMD kernel, or undefined when this runtime has no WebAssembly SIMD. */
export const keyedHashWasmKernel: () => KeyedHashKernel | undefined = wasmOnce(moduleSpec, (exports) => {
  const memory = (exports.mem as WebAssembly.Memory).buffer;
  const hash = exports.hash as (n: number, low: number, high: number) => void;
  const keyView = new Uint32Array(memory, KEYS, 4);
  const outView = new Uint32Array(memory, OUT, KEYED_HASH_WASM_CHUNK);
  return (out: Uint32Array, keys: readonly [number, number, number, number], low: number, high: number) => {
    keyView.set(keys);
    const n = out.length;
    for (let s = 0; s < n; s += KEYED_HASH_WASM_CHUNK) {
      const count = Math.min(KEYED_HASH_WASM_CHUNK, n - s);
      // Whole 4-lane steps; the chunk region has room for the up to 3 extra lanes.
      hash(count, low + s, high);
      out.set(count === KEYED_HASH_WASM_CHUNK ? outView : outView.subarray(0, count), s);
    }
  };
});
