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

const SHR_U = 0xad;
const XOR = 0x51;
const ADD = 0xae;
const MUL = 0xb5; // i32x4.mul

/**
 * Where the keyed-hash instructions find their operands (all i32x4 lanes): v128 locals, or for keys and
 * multipliers instructions that push them (e.g. splatting loads, which spare registers in big kernels).
 */
export interface KeyedHashLocals {
  /** Counter low words, one per lane. */
  readonly low: number;
  /** Counter high word, splatted. */
  readonly high: number;
  /** The stream's keys k0…k3, each splatted: locals, or instructions pushing them. */
  readonly keys: readonly [Operand, Operand, Operand, Operand];
  /** 0x85ebca6b, 0xc2b2ae35 and 0x9e3779b9 splatted (see `keyedHashConstants`): locals, or instructions. */
  readonly multipliers: readonly [Operand, Operand, Operand];
  /** Receives the four draws. */
  readonly out: number;
}

/** A v128 local, or the instructions that push the value. */
export type Operand = number | readonly number[];
const push = (operand: Operand): number[] => (typeof operand === 'number' ? localGet(operand) : [...operand]);

/**
 * Instructions setting the multiplier locals (before a loop: V8 would rebuild a constant on every
 * iteration).
 */
export const keyedHashConstants = (locals: KeyedHashLocals): number[] =>
  [0x85ebca6b, 0xc2b2ae35, 0x9e3779b9].flatMap((value, i) => {
    const target = locals.multipliers[i]!;
    return typeof target === 'number' ? [...i32Const(value | 0), ...simdOp(0x11), ...localSet(target)] : [];
  });

/** The three multipliers as u32 words, for kernels that load them from memory instead of locals. */
export const KEYED_HASH_MULTIPLIERS = [0x85ebca6b, 0xc2b2ae35, 0x9e3779b9] as const;

/**
 * Instructions computing `KeyedRandom.uint32` of the four counters (low lanes, high word) into
 * `locals.out`: the four keyed murmur3-finaliser rounds, i32x4 multiplies being Math.imul lane by lane.
 * Also used by merge's fused DARE kernel.
 */
export const keyedHashLanes = (locals: KeyedHashLocals): number[] => {
  const h = locals.out;
  const [mixA, mixB, golden] = locals.multipliers;
  const xorShift = (bits: number): number[] => [
    ...localGet(h),
    ...localGet(h),
    ...i32Const(bits),
    ...simdOp(SHR_U),
    ...simdOp(XOR),
    ...localSet(h),
  ];
  const mulBy = (multiplier: Operand): number[] => [
    ...localGet(h),
    ...push(multiplier),
    ...simdOp(MUL),
    ...localSet(h),
  ];
  const fmix = [...xorShift(16), ...mulBy(mixA), ...xorShift(13), ...mulBy(mixB), ...xorShift(16)];
  const [k0, k1, k2, k3] = locals.keys;
  return [
    // x = fmix(low ^ k0)
    ...localGet(locals.low),
    ...push(k0),
    ...simdOp(XOR),
    ...localSet(h),
    ...fmix,
    // x = fmix(x + k1 + high)
    ...localGet(h),
    ...push(k1),
    ...simdOp(ADD),
    ...localGet(locals.high),
    ...simdOp(ADD),
    ...localSet(h),
    ...fmix,
    // x = fmix((x ^ k2) + imul(low, 0x9e3779b9))
    ...localGet(h),
    ...push(k2),
    ...simdOp(XOR),
    ...localGet(locals.low),
    ...push(golden),
    ...simdOp(MUL),
    ...simdOp(ADD),
    ...localSet(h),
    ...fmix,
    // fmix(x ^ k3)
    ...localGet(h),
    ...push(k3),
    ...simdOp(XOR),
    ...localSet(h),
    ...fmix,
  ];
};

// params: 0 n, 1 low (first counter's low 32 bits), 2 high; locals: 3 p, 4 end (i32), then v128:
// 5 low lanes, 6 h, 7 high, 8–11 keys, 12–14 multipliers
const P = 3;
const END = 4;
const KEY_LOCALS = [8, 9, 10, 11] as const;
const LOCALS: KeyedHashLocals = {
  low: 5,
  out: 6,
  high: 7,
  keys: KEY_LOCALS,
  multipliers: [12, 13, 14],
};
const key = (k: number): number[] => [...i32Const(0), ...simdOp(0x09), 0x02, ...uleb(KEYS + 4 * k)]; // v128.load32_splat

const body = [
  0x02,
  0x02,
  0x7f, // p, end
  0x0b,
  0x7b, // low, h, high, keys, multipliers, four
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
  ...localSet(LOCALS.low),
  ...localGet(2),
  ...simdOp(0x11),
  ...localSet(LOCALS.high),
  ...[0, 1, 2, 3].flatMap((k) => [...key(k), ...localSet(KEY_LOCALS[k]!)]),
  ...keyedHashConstants(LOCALS),
  ...i32Const(4),
  ...simdOp(0x11),
  ...localSet(15),
  ...loopWhileBelow(P, END, [
    ...keyedHashLanes(LOCALS),
    ...localGet(P),
    ...localGet(LOCALS.out),
    ...simdOp(0x0b), // v128.store
    0x04,
    ...uleb(OUT),
    ...localGet(LOCALS.low),
    ...localGet(15),
    ...simdOp(ADD),
    ...localSet(LOCALS.low),
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
