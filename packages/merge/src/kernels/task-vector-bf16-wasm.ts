/**
 * WebAssembly SIMD kernels of the fused BF16 task-vector merge (TIES, DARE-TIES, …): they read the
 * BF16 checkpoint bytes directly and never materialise a float32 task vector. δ = model − base is
 * recomputed from the BF16 pair wherever it is needed (a decode is a shift; f32x4.sub rounds once, like
 * the float64 difference stored to float32 — double rounding is exact for a difference of two float32).
 * Every float64 operation of the plain path is done in the same order (wasm has no fused multiply-add),
 * so the output bits are the general path's. Whole tensors live in the module memory (read straight into it
 * or copied in once), and every pass runs in place.
 * Undefined where WebAssembly SIMD is unavailable.
 */

import {
  addToLocal,
  assembleModule,
  bf16RoundLanes,
  i32Const,
  i32x4Const,
  instantiateModule,
  KEYED_HASH_MULTIPLIERS,
  type KeyedHashLocals,
  keyedHashLanes,
  localGet,
  localSet,
  loopWhileBelow,
  sharedMemory,
  simdOp,
  startWasmWorker,
  uleb,
  WASM_F64,
  WASM_I32,
  type WasmModuleSpec,
  type WasmWorker,
} from '@modelsmith/core-tensor';
import { type DisjointMixLanes, disjointMixLanes, electionScoreLanes } from './disjoint-mix-lanes.js';

/** How many models one fused pass mixes (more take the general path). */
export const TASK_VECTOR_BF16_MAX_MODELS = 4;

// Memory map. The whole tensors live in the module memory (copied in once per merge, so no pass copies
// chunks in and out); their byte addresses sit in a pointer block. f64 constants (same layout as
// mix-wasm): 0–3 election signs, 4–7 mix weights, 8–11 contributions, 12 tie sign, 13 λ, 14 −1, 15 one,
// 16–19 election weights.
const CONSTANTS = 0;
/** Per-model keep rules (u32): thresholds, candidate buckets, cut-off indices. */
const THRESHOLDS = 256;
const BUCKETS = 272;
const CUTOFFS = 288;
/** Non-finite lanes seen by thread t's share of the mix. */
const NONFINITE = (t: number): number => 320 + 16 * t;
/** Per job (≤ 8; u32 words): member list addresses (indices, bits), the count found, the bucket. */
const MEMBER_BLOCK = (job: number): number => 640 + 16 * job;
/** Pointers (u32 byte addresses): base, models 0–3, output, masks 0–3. */
const POINTERS = 512;
const BASE_POINTER = POINTERS;
const MODEL_POINTER = (m: number): number => POINTERS + 4 + 4 * m;
const OUT_POINTER = POINTERS + 20;
const MASK_POINTER = (m: number): number => POINTERS + 24 + 4 * m;
const WORKER_CONTROL = 576;
/** The keyed hash's three multipliers (u32), loaded by the DARE kernel. */
const HASH_MULTIPLIERS = 624;
/** Element ranges (start, end) of the two halves of a tensor, for passes split between the threads. */
const HALVES = 608;
const HALF_RANGE = (half: number): number => HALVES + 8 * half;
/** Per model (u32 words): stream keys k0–k3, first counter (low, high), threshold; f64 L1 sums at bytes 32, 40. */
const DARE_BLOCK = (m: number): number => 768 + 64 * m;
const HISTOGRAM_BYTES = 65536 * 4;
/** Thread t's two interleaved histogram tables. */
const HIST = (t: number): number => 1024 + 2 * t * HISTOGRAM_BYTES;
/** Where the tensors start. */
const DATA = HIST(2);
/** The shared memory may grow to 4 GiB; larger merges take the general path. */
const MAXIMUM_PAGES = 65536;
/** Below this many elements one thread does everything (a hand-over costs tens of microseconds). */
const PARALLEL_MIN_ELEMENTS = 1 << 18;

const V128_LOAD64_ZERO = 0x5d;
const V128_LOAD32_ZERO = 0x5c;
const V128_LOAD32_SPLAT = 0x09;
const V128_LOAD64_SPLAT = 0x0a;
const V128_STORE64_LANE = 0x5b;
const V128_STORE = 0x0b;
const I8X16_SHUFFLE = 0x0d;
const I32X4_EXTRACT_LANE = 0x1b;
const I32X4_EQ = 0x37;
const I32X4_LT_U = 0x3a;
const I32X4_GT_U = 0x3c;
const V128_AND = 0x4e;
const V128_OR = 0x50;
const BITSELECT = 0x52;
const ANY_TRUE = 0x53;
const I16X8_NARROW_I32X4_U = 0x86;
const I16X8_NARROW_I32X4_S = 0x85;
const I8X16_NARROW_I16X8_S = 0x65;
const V128_STORE32_LANE = 0x5a;
const F64X2_SUB = 0xf1;
const F64X2_ABS = 0xec;
const F64X2_EXTRACT_LANE = 0x21;
const I64X2_EXTEND_LOW_I32X4_S = 0xc7;
const I64X2_EXTEND_HIGH_I32X4_S = 0xc8;
const I16X8_EXTEND_LOW_I8X16_S = 0x87;
const I32X4_EXTEND_LOW_I16X8_S = 0xa7;
const I32X4_EXTEND_LOW_I16X8_U = 0xa9;
const I32X4_SHL = 0xab;
const I32X4_SHR_U = 0xad;
const I32X4_ADD = 0xae;
const I32X4_SPLAT = 0x11;
const F32X4_SUB = 0xe5;
const F32X4_MUL = 0xe6;
const F32X4_DEMOTE = 0x5e;
const F64X2_PROMOTE = 0x5f;

// Locals: params 0–2 (a, b, c); i32 3 p (byte offset into the BF16 arrays), 4 end, 5 scratch, 6 base
// pointer, 7–10 model pointers, 11 output pointer, 12–15 mask pointers; v128 locals from 16.
const P = 3;
const END = 4;
const SCRATCH = 5;
const BASE_PTR = 6;
const MODEL_PTR = (m: number): number => 7 + m;
const OUT_PTR = 11;
const MASK_PTR = (m: number): number => 12 + m;
const I32_LOCALS = 13;
const V = 16;

/** pointer local + p: the byte address of the current four BF16 values. */
const at = (pointer: number): number[] => [...localGet(pointer), ...localGet(P), 0x6a];
/** Four BF16 values at `pointer + p` decoded to float32 lanes (exact: the bits shifted up). */
const decode4 = (pointer: number): number[] => [
  ...at(pointer),
  ...simdOp(V128_LOAD64_ZERO),
  0x03,
  0x00,
  ...simdOp(I32X4_EXTEND_LOW_I16X8_U),
  ...i32Const(16),
  ...simdOp(I32X4_SHL),
];
/** δ = model m − base in float32 lanes. */
const delta4 = (m: number): number[] => [
  ...decode4(MODEL_PTR(m)),
  ...decode4(BASE_PTR),
  ...simdOp(F32X4_SUB),
];
/** f64 constant `index`, splatted. */
const loadConstant = (index: number): number[] => [
  ...i32Const(0),
  ...simdOp(V128_LOAD64_SPLAT),
  0x03,
  ...uleb(CONSTANTS + 8 * index),
];
/** u32 at `address`, splatted. */
const splat32 = (address: number): number[] => [
  ...i32Const(0),
  ...simdOp(V128_LOAD32_SPLAT),
  0x02,
  ...uleb(address),
];
/** i32 at `address`. */
const load32 = (address: number): number[] => [...i32Const(0), 0x28, 0x02, ...uleb(address)];
/** Lanes 2, 3 of a v128 local moved to lanes 0, 1 (then promoted as a pair). */
const highHalf = (local: number): number[] => [
  ...localGet(local),
  ...localGet(local),
  ...simdOp(I8X16_SHUFFLE),
  ...[8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
];
/** Every pointer of the pointer block into its local. */
const loadPointers = (): number[] => {
  const code: number[] = [...load32(BASE_POINTER), ...localSet(BASE_PTR)];
  for (let m = 0; m < 4; m++) {
    code.push(...load32(MODEL_POINTER(m)), ...localSet(MODEL_PTR(m)));
    code.push(...load32(MASK_POINTER(m)), ...localSet(MASK_PTR(m)));
  }
  code.push(...load32(OUT_POINTER), ...localSet(OUT_PTR));
  return code;
};
/** Locals (13 i32, `v128Locals` v128), pointers loaded, then `code`. */
const functionBody = (v128Locals: number, code: number[]): number[] => [
  0x02,
  ...uleb(I32_LOCALS),
  WASM_I32,
  ...uleb(v128Locals),
  0x7b,
  ...loadPointers(),
  ...code,
  0x0b,
];
/** p = 2·first, end = 2·last (element indices). */
const elementRange = (first: number[], last: number[]): number[] => [
  ...first,
  ...i32Const(1),
  0x74,
  ...localSet(P),
  ...last,
  ...i32Const(1),
  0x74,
  ...localSet(END),
];
/** Model slot 0's pointer ← model `m` (param 0): the single-model passes run on any model. */
const selectModel = (): number[] => [
  ...localGet(0),
  ...i32Const(2),
  0x74,
  0x28,
  0x02,
  ...uleb(MODEL_POINTER(0)),
  ...localSet(MODEL_PTR(0)),
];

/**
 * hist(m, table, range): histogram of the high 16 bits of |δ| of model m over [start, end) (the two words
 * at `range`) into the two interleaved
 * tables at `table` and `table` + 256 KiB (lanes 0, 2 and 1, 3), added to what they hold.
 */
const histogramBody = (): number[] => {
  const H = V;
  const MASK_1FFFC = V + 1;
  const TABLE = V + 2;
  const step: number[] = [
    ...delta4(0),
    // byte address of bucket (bits & 0x7fffffff) >>> 16, i.e. (bits >>> 14) & 0x1fffc, in the table
    ...i32Const(14),
    ...simdOp(I32X4_SHR_U),
    ...localGet(MASK_1FFFC),
    ...simdOp(V128_AND),
    ...localGet(TABLE),
    ...simdOp(I32X4_ADD),
    ...localSet(H),
  ];
  for (let lane = 0; lane < 4; lane++) {
    const offset = lane % 2 === 0 ? 0 : HISTOGRAM_BYTES;
    step.push(
      ...localGet(H),
      ...simdOp(I32X4_EXTRACT_LANE),
      lane,
      ...localSet(SCRATCH),
      ...localGet(SCRATCH),
      ...localGet(SCRATCH),
      0x28, // i32.load
      0x02,
      ...uleb(offset),
      ...i32Const(1),
      0x6a, // i32.add
      0x36, // i32.store
      0x02,
      ...uleb(offset),
    );
  }
  return functionBody(3, [
    ...selectModel(),
    ...elementRange([...localGet(2), 0x28, 0x02, 0x00], [...localGet(2), 0x28, 0x02, 0x04]),
    // vector constants live in locals: V8 rebuilds a v128.const on every iteration
    ...i32x4Const(0x1fffc),
    ...localSet(MASK_1FFFC),
    ...localGet(1),
    ...simdOp(I32X4_SPLAT),
    ...localSet(TABLE),
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 8)]),
  ]);
};

/**
 * members(m, block, range): the elements of model m in [start, end) (the two words at `range`) whose
 * high magnitude bits equal the bucket in
 * word 3 of `block`: their indices (ascending) and |δ| bits, written to the lists at the addresses in
 * words 0 and 1, behind a rarely taken branch; the count goes to word 2.
 */
const bucketMembersBody = (): number[] => {
  const COUNT = SCRATCH;
  const INDEX_LIST = MASK_PTR(0); // the mask pointers are not used here
  const BITS_LIST = MASK_PTR(1);
  const BITS = V;
  const EQ = V + 1;
  const BUCKET = V + 2;
  const ABS = V + 3;
  const step: number[] = [
    ...delta4(0),
    ...localGet(ABS),
    ...simdOp(V128_AND),
    ...localSet(BITS),
    ...localGet(BITS),
    ...i32Const(16),
    ...simdOp(I32X4_SHR_U),
    ...localGet(BUCKET),
    ...simdOp(I32X4_EQ),
    ...localSet(EQ),
    ...localGet(EQ),
    ...simdOp(ANY_TRUE),
    0x04, // if
    0x40,
  ];
  const slot = (list: number): number[] => [
    ...localGet(list),
    ...localGet(COUNT),
    ...i32Const(2),
    0x74,
    0x6a,
  ];
  for (let lane = 0; lane < 4; lane++) {
    step.push(
      ...localGet(EQ),
      ...simdOp(I32X4_EXTRACT_LANE),
      lane,
      0x04, // if
      0x40,
      // index = p / 2 + lane
      ...slot(INDEX_LIST),
      ...localGet(P),
      ...i32Const(1),
      0x76, // i32.shr_u
      ...i32Const(lane),
      0x6a,
      0x36,
      0x02,
      0x00,
      ...slot(BITS_LIST),
      ...localGet(BITS),
      ...simdOp(I32X4_EXTRACT_LANE),
      lane,
      0x36,
      0x02,
      0x00,
      ...addToLocal(COUNT, 1),
      0x0b,
    );
  }
  step.push(0x0b);
  return functionBody(4, [
    ...selectModel(),
    ...elementRange([...localGet(2), 0x28, 0x02, 0x00], [...localGet(2), 0x28, 0x02, 0x04]),
    ...localGet(1),
    0x28,
    0x02,
    0x00,
    ...localSet(INDEX_LIST),
    ...localGet(1),
    0x28,
    0x02,
    0x04,
    ...localSet(BITS_LIST),
    ...localGet(1),
    ...simdOp(V128_LOAD32_SPLAT),
    0x02,
    0x0c, // the bucket: word 3 of the block
    ...localSet(BUCKET),
    ...i32x4Const(0x7fffffff),
    ...localSet(ABS),
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 8)]),
    ...localGet(1),
    ...localGet(COUNT),
    0x36,
    0x02,
    0x08,
  ]);
};

/**
 * dare(m, block, range): DARE's mask for model m's elements [start, end) (the two words at `range`),
 * four per step, with the stream's keys k0…k3, the tensor's first counter (low, high) and the threshold
 * in words 0–6 of `block`: the draws are `KeyedRandom.uint32` computed inline (core-tensor's keyed-hash instructions),
 * mask byte = draw < threshold (0xff kept, 0 dropped).
 */
const dareMaskBody = (): number[] => {
  let next = V;
  const local = (): number => next++;
  // Keys and multipliers come from memory at each use (splatting loads): kept in locals they would
  // leave too few registers for the two chains.
  const fromMemory = (address: number[]): number[] => [...address, ...simdOp(V128_LOAD32_SPLAT), 0x02, 0x00];
  const keyAt = (k: number): number[] => fromMemory([...localGet(1), ...i32Const(4 * k), 0x6a]);
  const shared = {
    high: local(),
    keys: [keyAt(0), keyAt(1), keyAt(2), keyAt(3)] as const,
    multipliers: [0, 1, 2].map((i) => fromMemory(i32Const(HASH_MULTIPLIERS + 4 * i))) as unknown as readonly [
      number[],
      number[],
      number[],
    ],
  };
  // Two independent hash chains per step (eight elements): their latencies overlap.
  const first: KeyedHashLocals = { ...shared, low: local(), out: local() };
  const second: KeyedHashLocals = { ...shared, low: local(), out: local() };
  const THRESHOLD = local();
  const STEP = local();
  const KEEP = local();
  const NARROW = local();
  const MASK_POINTER_LOCAL = MASK_PTR(0);
  const word = (index: number): number[] => [...localGet(1), 0x28, 0x02, ...uleb(4 * index)];
  const splatWord = (index: number): number[] => [...word(index), ...simdOp(I32X4_SPLAT)];
  /** mask bytes of the four draws in `draws` at mask + p/2 + `offset`: the all-ones lanes narrowed twice */
  const storeMask = (draws: number, offset: number): number[] => [
    ...localGet(draws),
    ...localGet(THRESHOLD),
    ...simdOp(I32X4_LT_U),
    ...localSet(KEEP),
    ...localGet(MASK_POINTER_LOCAL),
    ...localGet(P),
    ...i32Const(1),
    0x76,
    0x6a,
    ...localGet(KEEP),
    ...localGet(KEEP),
    ...simdOp(I16X8_NARROW_I32X4_S),
    ...localSet(NARROW),
    ...localGet(NARROW),
    ...localGet(NARROW),
    ...simdOp(I8X16_NARROW_I16X8_S),
    ...simdOp(V128_STORE32_LANE),
    0x02,
    ...uleb(offset),
    0x00,
  ];
  const advance = (chain: KeyedHashLocals): number[] => [
    ...localGet(chain.low),
    ...localGet(STEP),
    ...simdOp(I32X4_ADD),
    ...localSet(chain.low),
  ];
  const pair: number[] = [
    ...keyedHashLanes(first),
    ...keyedHashLanes(second),
    ...storeMask(first.out, 0),
    ...storeMask(second.out, 4),
    ...advance(first),
    ...advance(second),
    ...addToLocal(P, 16),
  ];
  // the last four elements when the range holds an odd number of fours
  const single: number[] = [...keyedHashLanes(first), ...storeMask(first.out, 0), ...addToLocal(P, 8)];
  return [
    0x02,
    ...uleb(I32_LOCALS),
    WASM_I32,
    ...uleb(next - V),
    0x7b,
    ...loadPointers(),
    ...selectModel(),
    // this model's mask pointer
    ...localGet(0),
    ...i32Const(2),
    0x74,
    0x28,
    0x02,
    ...uleb(MASK_POINTER(0)),
    ...localSet(MASK_POINTER_LOCAL),
    ...elementRange([...localGet(2), 0x28, 0x02, 0x00], [...localGet(2), 0x28, 0x02, 0x04]),
    // counters low + start + [0, 1, 2, 3], and + 4 for the second chain
    ...word(4),
    ...localGet(2),
    0x28,
    0x02,
    0x00,
    0x6a,
    ...simdOp(I32X4_SPLAT),
    ...simdOp(0x0c),
    ...[0, 1, 2, 3].flatMap((lane) => [lane, 0, 0, 0]),
    ...simdOp(I32X4_ADD),
    ...localSet(first.low),
    ...localGet(first.low),
    ...i32x4Const(4),
    ...simdOp(I32X4_ADD),
    ...localSet(second.low),
    ...splatWord(5),
    ...localSet(shared.high),
    ...splatWord(6),
    ...localSet(THRESHOLD),
    ...i32x4Const(8),
    ...localSet(STEP),
    // while p + 16 ≤ end: eight elements
    ...localGet(END),
    ...i32Const(8),
    0x6b, // i32.sub
    ...localSet(SCRATCH),
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    ...localGet(P),
    ...localGet(SCRATCH),
    0x4e, // i32.ge_s: p > end − 16 (end ≥ 8 here)
    0x0d,
    0x01,
    ...pair,
    0x0c,
    0x00,
    0x0b,
    0x0b,
    ...localGet(P),
    ...localGet(END),
    0x49, // i32.lt_u
    0x04,
    0x40,
    ...single,
    0x0b,
    0x0b,
  ];
};

/**
 * l1(first, _, n): for models first … first + count − 1, Σ|δ| and Σ|δ·keep| over [0, n) from the masks, in float64 in index
 * order — the order fixes the bits, so they are scalar adds of lanes taken in turn; the models' 2·count
 * chains interleave, which hides the add latency — into bytes 32 and 40 of each model's DARE block.
 */
/** sum += lane 0, then sum += lane 1 of the f64x2 local `pair` (index order). */
const addLanesInOrder = (sum: number, pair: number): number[] =>
  [0, 1].flatMap((lane) => [
    ...localGet(sum),
    ...localGet(pair),
    ...simdOp(F64X2_EXTRACT_LANE),
    lane,
    0xa0, // f64.add
    ...localSet(sum),
  ]);

const l1SumsBody = (count: number): number[] => {
  let next = V;
  const local = (): number => next++;
  const B32 = local();
  const M32 = local();
  const KEEP = local();
  const D = local();
  const v128Count = next - V;
  const before = (m: number): number => next + 2 * m;
  const after = (m: number): number => next + 2 * m + 1;
  const step: number[] = [...decode4(BASE_PTR), ...localSet(B32)];
  for (let m = 0; m < count; m++) {
    step.push(
      ...decode4(MODEL_PTR(m)),
      ...localSet(M32),
      // keep lanes: 4 mask bytes sign-extended to all-ones / zero i32 lanes
      ...localGet(MASK_PTR(m)),
      ...localGet(P),
      ...i32Const(1),
      0x76,
      0x6a,
      ...simdOp(V128_LOAD32_ZERO),
      0x02,
      0x00,
      ...simdOp(I16X8_EXTEND_LOW_I8X16_S),
      ...simdOp(I32X4_EXTEND_LOW_I16X8_S),
      ...localSet(KEEP),
    );
    for (let half = 0; half < 2; half++) {
      const promote = (source: number): number[] =>
        half === 0
          ? [...localGet(source), ...simdOp(F64X2_PROMOTE)]
          : [...highHalf(source), ...simdOp(F64X2_PROMOTE)];
      // |δ| with δ = f64(model) − f64(base), as the scalar pass computes it
      step.push(...promote(M32), ...promote(B32), ...simdOp(F64X2_SUB), ...simdOp(F64X2_ABS), ...localSet(D));
      step.push(...addLanesInOrder(before(m), D));
      // |δ·keep| is |δ| or +0 (adding +0 to a non-negative sum changes nothing)
      step.push(
        ...localGet(D),
        ...localGet(KEEP),
        ...simdOp(half === 0 ? I64X2_EXTEND_LOW_I32X4_S : I64X2_EXTEND_HIGH_I32X4_S),
        ...simdOp(V128_AND),
        ...localSet(D),
        ...addLanesInOrder(after(m), D),
      );
    }
  }
  // Models first … first + count − 1 (param 0): their pointers into slots 0…count − 1.
  const model = (m: number): number[] => [...localGet(0), ...i32Const(m), 0x6a];
  const remap: number[] = [];
  for (let m = 0; m < count; m++) {
    remap.push(
      ...model(m),
      ...i32Const(2),
      0x74,
      0x28,
      0x02,
      ...uleb(MODEL_POINTER(0)),
      ...localSet(MODEL_PTR(m)),
    );
    remap.push(
      ...model(m),
      ...i32Const(2),
      0x74,
      0x28,
      0x02,
      ...uleb(MASK_POINTER(0)),
      ...localSet(MASK_PTR(m)),
    );
  }
  const finish: number[] = [];
  for (let m = 0; m < count; m++) {
    for (const [offset, sum] of [
      [32, before(m)],
      [40, after(m)],
    ] as const) {
      // at DARE_BLOCK(first + m) + offset
      finish.push(
        ...model(m),
        ...i32Const(6),
        0x74,
        ...localGet(sum),
        0x39,
        0x03,
        ...uleb(DARE_BLOCK(0) + offset),
      );
    }
  }
  return [
    0x03,
    ...uleb(I32_LOCALS),
    WASM_I32,
    ...uleb(v128Count),
    0x7b,
    ...uleb(2 * count),
    WASM_F64,
    ...loadPointers(),
    ...remap,
    ...elementRange(i32Const(0), localGet(2)),
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 8)]),
    ...finish,
    0x0b,
  ];
};

/** How the mix decides which task-vector entries survive. */
type KeepSource = 'threshold' | 'mask';

/**
 * The fused mix of `count` models, four elements per step: δₘ recomputed from BF16, the keep decision
 * (TIES: |δ| bits > T, or = T with index < cut-off; dropped entries become δ·0, or +0 inside the
 * candidate bucket, as the trim pass leaves them — DARE: δ · (mask ? 1 : 0)), then exactly
 * `electionMixInto`'s float64 arithmetic on each pair of lanes (padding slots up to 4 contribute
 * 0·δ₀, as there), the finiteness check and BF16 rounding.
 */
/** Kernel variants for common settings: no divisor (not normalising), election signs all +1. */
interface MixVariant {
  readonly normalize: boolean;
  readonly unitSigns: boolean;
}

const mixBody = (count: number, keep: KeepSource, variant: MixVariant): number[] => {
  let next = V;
  const local = (): number => next++;
  const ZERO = local();
  const ONE = local();
  const ONE32 = local();
  const B32 = local();
  const INDEX = local();
  const D = local();
  const KEEP = local();
  const SUM = local();
  const SIGN = local();
  const DIV = local();
  const Z = local();
  const NF = local();
  const LOW = local();
  const ABS = local();
  const EXPONENT = local();
  const FOUR = local();
  const MAGNITUDE = local();
  const T = Array.from({ length: count }, local);
  const BUCKET = Array.from({ length: count }, local);
  const CUT = Array.from({ length: count }, local);
  const TRIMMED = Array.from({ length: count }, local);
  const X = Array.from({ length: count }, local);
  const A = Array.from({ length: count }, local);
  // The f64 constants this kernel reads, in locals (a splatting load per use costs ~20% of the pass).
  const constantIndices = [12, 13, 14];
  for (let m = 0; m < count; m++) constantIndices.push(m, 4 + m, 8 + m, 16 + m);
  const constantLocals = new Map(constantIndices.map((index) => [index, local()]));
  const constant = (index: number): number[] => localGet(constantLocals.get(index)!);
  const setup: number[] = [
    ...simdOp(0x0c),
    ...new Array(16).fill(0),
    ...localSet(ZERO),
    ...loadConstant(15),
    ...localSet(ONE),
    ...i32x4Const(0x3f800000),
    ...localSet(ONE32),
    ...elementRange(localGet(0), localGet(1)),
    ...localGet(0),
    ...simdOp(I32X4_SPLAT),
    ...simdOp(0x0c), // v128.const [0, 1, 2, 3]
    ...[0, 1, 2, 3].flatMap((lane) => [lane, 0, 0, 0]),
    ...simdOp(I32X4_ADD),
    ...localSet(INDEX),
    ...i32x4Const(0x7fffffff),
    ...localSet(ABS),
    ...i32x4Const(0x7f800000),
    ...localSet(EXPONENT),
    ...i32x4Const(4),
    ...localSet(FOUR),
    ...localGet(ZERO),
    ...localSet(NF),
  ];
  for (const [index, target] of constantLocals) setup.push(...loadConstant(index), ...localSet(target));
  if (keep === 'threshold') {
    for (let m = 0; m < count; m++) {
      setup.push(...splat32(THRESHOLDS + 4 * m), ...localSet(T[m]!));
      setup.push(...splat32(BUCKETS + 4 * m), ...localSet(BUCKET[m]!));
      setup.push(...splat32(CUTOFFS + 4 * m), ...localSet(CUT[m]!));
    }
  }
  const step: number[] = [...decode4(BASE_PTR), ...localSet(B32)];
  for (let m = 0; m < count; m++) {
    // δ from the base decoded once per step
    step.push(...decode4(MODEL_PTR(m)), ...localGet(B32), ...simdOp(F32X4_SUB), ...localSet(D));
    if (keep === 'threshold') {
      const bits = localGet(MAGNITUDE);
      step.push(...localGet(D), ...localGet(ABS), ...simdOp(V128_AND), ...localSet(MAGNITUDE));
      step.push(
        // keep = bits > T | (bits == T & index < cut-off), unsigned
        ...bits,
        ...localGet(T[m]!),
        ...simdOp(I32X4_GT_U),
        ...bits,
        ...localGet(T[m]!),
        ...simdOp(I32X4_EQ),
        ...localGet(INDEX),
        ...localGet(CUT[m]!),
        ...simdOp(I32X4_LT_U),
        ...simdOp(V128_AND),
        ...simdOp(V128_OR),
        ...localSet(KEEP),
        // bitselect(δ, bitselect(+0, δ·0, candidate), keep)
        ...localGet(D),
        ...localGet(ZERO),
        ...localGet(D),
        ...localGet(ZERO),
        ...simdOp(F32X4_MUL),
        ...bits,
        ...i32Const(16),
        ...simdOp(I32X4_SHR_U),
        ...localGet(BUCKET[m]!),
        ...simdOp(I32X4_EQ),
        ...simdOp(BITSELECT),
        ...localGet(KEEP),
        ...simdOp(BITSELECT),
        ...localSet(TRIMMED[m]!),
      );
    } else {
      step.push(
        // δ · (mask ? 1 : 0): mask bytes sign-extended to all-ones lanes
        ...localGet(D),
        ...localGet(ONE32),
        ...localGet(MASK_PTR(m)),
        ...localGet(P),
        ...i32Const(1),
        0x76, // i32.shr_u: one mask byte per element
        0x6a,
        ...simdOp(V128_LOAD32_ZERO),
        0x02,
        0x00,
        ...simdOp(I16X8_EXTEND_LOW_I8X16_S),
        ...simdOp(I32X4_EXTEND_LOW_I16X8_S),
        ...simdOp(V128_AND),
        ...simdOp(F32X4_MUL),
        ...localSet(TRIMMED[m]!),
      );
    }
  }
  for (let half = 0; half < 2; half++) {
    const promote = (source: number): number[] =>
      half === 0
        ? [...localGet(source), ...simdOp(F64X2_PROMOTE)]
        : [...highHalf(source), ...simdOp(F64X2_PROMOTE)];
    for (let m = 0; m < count; m++) step.push(...promote(TRIMMED[m]!), ...localSet(X[m]!));
    const lanes: DisjointMixLanes = {
      count,
      x: X,
      agree: A,
      sum: SUM,
      sign: SIGN,
      divisor: DIV,
      zero: ZERO,
      one: ONE,
      padding: Z,
      constant,
      unitSigns: variant.unitSigns,
      normalize: variant.normalize,
    };
    step.push(
      ...electionScoreLanes(lanes),
      ...disjointMixLanes(lanes, promote(B32)),
      ...simdOp(F32X4_DEMOTE),
    );
    if (half === 0) step.push(...localSet(LOW));
  }
  const OUT32 = SUM; // reused: the float32 results of both halves
  step.push(
    ...localSet(Z),
    ...localGet(LOW),
    ...localGet(Z),
    ...simdOp(I8X16_SHUFFLE),
    ...[0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23],
    ...localSet(OUT32),
    // NF |= ((bits & 0x7f800000) == 0x7f800000): ±Inf and NaN
    ...localGet(NF),
    ...localGet(OUT32),
    ...localGet(EXPONENT),
    ...simdOp(V128_AND),
    ...localGet(EXPONENT),
    ...simdOp(I32X4_EQ),
    ...simdOp(V128_OR),
    ...localSet(NF),
    ...at(OUT_PTR),
    ...bf16RoundLanes(OUT32),
    ...localSet(Z),
    ...localGet(Z),
    ...localGet(Z),
    ...simdOp(I16X8_NARROW_I32X4_U),
    ...simdOp(V128_STORE64_LANE),
    0x03,
    0x00,
    0x00,
    ...localGet(INDEX),
    ...localGet(FOUR),
    ...simdOp(I32X4_ADD),
    ...localSet(INDEX),
  );
  return functionBody(next - V, [
    ...setup,
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 8)]),
    ...localGet(2),
    ...localGet(NF),
    ...simdOp(V128_STORE),
    0x04,
    0x00,
  ]);
};

const mixName = (count: number, keep: KeepSource, variant: MixVariant): string =>
  `${keep === 'threshold' ? 't' : 'm'}${count}${variant.normalize ? 'n' : ''}${variant.unitSigns ? 'u' : ''}`;
const VARIANTS: MixVariant[] = [false, true].flatMap((normalize) =>
  [false, true].map((unitSigns) => ({ normalize, unitSigns })),
);
const l1Name = (count: number): string => `l1_${count}`;
const COUNTS = [1, 2, 3, 4];

const moduleSpec = (): WasmModuleSpec => {
  const functions: { name: string; type: number; body: number[] }[] = [
    { name: 'hist', type: 0, body: histogramBody() },
    { name: 'members', type: 0, body: bucketMembersBody() },
  ];
  for (const count of COUNTS) {
    for (const keep of ['threshold', 'mask'] as const)
      for (const variant of VARIANTS)
        functions.push({ name: mixName(count, keep, variant), type: 0, body: mixBody(count, keep, variant) });
  }
  for (const count of COUNTS) functions.push({ name: l1Name(count), type: 0, body: l1SumsBody(count) });
  functions.push({ name: 'dare', type: 0, body: dareMaskBody() });
  return {
    types: [{ params: [WASM_I32, WASM_I32, WASM_I32], results: [] }],
    functions,
    memoryPages: Math.ceil(DATA / 65536),
    sharedMemoryMaximumPages: MAXIMUM_PAGES,
  };
};

/** Which entries of model m's task vector survive, for the threshold kind of mix. */
export interface KeepRule {
  /** |δ| bits (sign cleared) above this survive. */
  readonly threshold: number;
  /** |δ| bits equal to `threshold` survive when their index is below this (2³² − 1: all of them). */
  readonly cutoff: number;
  /** High 16 magnitude bits of the trim's candidate bucket (dropped entries there become +0); 0xffffffff: none. */
  readonly bucket: number;
}

/** Keeps every entry (no trim). */
export const KEEP_ALL: KeepRule = { threshold: 0, cutoff: 0xffffffff, bucket: 0xffffffff };

/** One merge's inputs, copied once into the module memory; every pass then runs in place. */
export interface TaskVectorBf16Session {
  /** Sets highs[j] (65536 counts) to the histogram of (bits(|model m_j − base|) >>> 16), m_j = models[j]. */
  deltaHistograms(models: readonly number[], highs: readonly Uint32Array[]): void;
  /**
   * For each j: the indices (ascending) and |δ| bits of model models[j]'s elements whose high magnitude
   * bits equal buckets[j] (sizes[j] of them, as the histogram counted); undefined if they do not fit in memory.
   */
  bucketMembers(
    models: readonly number[],
    buckets: readonly number[],
    sizes: readonly number[],
  ): { indices: Int32Array; bits: Uint32Array }[] | undefined;
  /**
   * DARE masks: model m keeps element i when draw i of its stream — KeyedRandom.uint32(start + i) for
   * the stream's keys — is below the threshold; a model without a stream keeps every element. With `l1`,
   * returns per model [Σ|δ|, Σ|δ·keep|] summed in index order in float64 (zeros for models without).
   */
  dareMasks(
    streams: readonly ({ keys: readonly number[]; start: number; threshold: number } | undefined)[],
    l1: boolean,
  ): Float64Array[] | undefined;
  /**
   * The fused trim (rules) or mask (after `dareMasks`) + election + disjoint mix into BF16 (`constants`
   * as `mixConstants`, election weights at 16–19), written to `output` when it has the right length.
   * Undefined when some result is not finite.
   */
  mix(
    keep: readonly KeepRule[] | 'masks',
    constants: Float64Array,
    output?: Uint16Array,
  ): Uint16Array | undefined;
}

export interface TaskVectorBf16Kernels {
  /**
   * Sets aside two sets of `inputs` input slots of up to `maxElements` BF16 values each in the module
   * memory (false when they do not fit): a streaming merge reads tensor k + 1 into one set while tensor
   * k, read into the other, is merged — with no copy in between.
   */
  reserveInputSlots(maxElements: number, inputs: number): boolean;
  /** Byte views of set `set`'s first `inputs` slots, `elements` BF16 values each (see reserveInputSlots). */
  inputSlots(set: number, elements: number, inputs: number): Uint8Array[];
  /**
   * Makes base and models (at most 4, all of base's length) the inputs of a merge: views of input
   * slots are used where they are, other arrays are copied into the module memory. Undefined when they
   * do not fit in it.
   */
  load(base: Uint16Array, models: readonly Uint16Array[]): TaskVectorBf16Session | undefined;
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/**
 * The kernels, or undefined without WebAssembly SIMD. Large tensors are split between this thread and
 * one worker thread running the same module on the same (shared) memory: each pass hands the worker
 * half of the models or half of the elements, so results do not depend on the split.
 */
export const taskVectorBf16Kernels: () => TaskVectorBf16Kernels | undefined = () => {
  cached ??= { value: createKernels() };
  return cached.value;
};
let cached: { value: TaskVectorBf16Kernels | undefined } | undefined;

function createKernels(): TaskVectorBf16Kernels | undefined {
  const spec = moduleSpec();
  let exports: WebAssembly.Exports | undefined;
  let memory: WebAssembly.Memory;
  try {
    memory = sharedMemory(spec);
    exports = instantiateModule(spec, memory);
  } catch {
    return undefined; // no shared WebAssembly memory here
  }
  if (!exports) return undefined;
  new Uint32Array(memory.buffer, HASH_MULTIPLIERS, 3).set(KEYED_HASH_MULTIPLIERS);
  const names = spec.functions.map((f) => f.name);
  let worker: WasmWorker | undefined;
  let workerFailed = false;
  /** The worker thread, started on first need; undefined if it cannot start (one thread then does it all). */
  const helper = (elements: number): WasmWorker | undefined => {
    if (worker && !worker.alive) dropWorker();
    if (elements < PARALLEL_MIN_ELEMENTS || workerFailed) return undefined;
    try {
      worker ??= startWasmWorker(assembleModule(spec), memory, WORKER_CONTROL, names);
    } catch {
      workerFailed = true;
    }
    return worker;
  };
  /** After a failure the worker is not used again: this thread does all the work. */
  const dropWorker = () => {
    worker?.close();
    worker = undefined;
    workerFailed = true;
  };
  const call = (name: string, ...args: number[]) => (exports[name] as (...a: number[]) => void)(...args);
  /**
   * Runs call(name, ...argsOf(job, thread)) for every job, the worker taking every other one;
   * `after(job, thread)` runs once the job has returned (before its thread's next job).
   */
  const runJobs = (
    name: string | ((job: number) => string),
    jobs: number,
    elements: number,
    argsOf: (job: number, thread: number) => number[],
    after?: (job: number, thread: number) => void,
  ) => {
    const nameOf = (j: number) => (typeof name === 'string' ? name : name(j));
    let other = jobs > 1 ? helper(elements) : undefined;
    for (let job = 0; job < jobs; ) {
      const paired = other !== undefined && job + 1 < jobs;
      if (paired) other!.start(nameOf(job + 1), argsOf(job + 1, 1));
      let workerFailure = false;
      try {
        call(nameOf(job), ...argsOf(job, 0));
      } finally {
        if (paired) {
          try {
            other!.join();
          } catch {
            workerFailure = true;
          }
        }
      }
      if (workerFailure) {
        // Every job only writes its own results, so this thread can simply redo the worker's.
        dropWorker();
        other = undefined;
        call(nameOf(job + 1), ...argsOf(job + 1, 1));
      }
      after?.(job, 0);
      if (paired) after?.(job + 1, 1);
      job += paired ? 2 : 1;
    }
  };
  const reserve = (bytes: number): boolean => {
    if (bytes > MAXIMUM_PAGES * 65536) return false;
    const missing = Math.ceil((bytes - memory.buffer.byteLength) / 65536);
    try {
      if (missing > 0) memory.grow(missing);
    } catch {
      return false; // the system refused the pages: the general path does the merge
    }
    return true;
  };
  // The buffer object is fixed at its length when read: views are made after any growth.
  let slots: { bytes: number; inputs: number } | undefined;
  /** The buffer objects input-slot views were made on (a view on one of them lives in this memory). */
  const slotBuffers = new WeakSet<ArrayBufferLike>();
  const u32 = (address: number, length: number) => new Uint32Array(memory.buffer, address, length);

  return {
    reserveInputSlots(maxElements, inputs) {
      const bytes = align16(((maxElements + 3) & ~3) * 2);
      if (!reserve(DATA + 2 * inputs * bytes)) return false;
      slots = { bytes, inputs };
      return true;
    },
    inputSlots(set, elements, inputs) {
      if (!slots || elements * 2 > slots.bytes || inputs > slots.inputs) {
        throw new RangeError('task-vector BF16 kernels: input slots not reserved for this size');
      }
      const buffer = memory.buffer;
      slotBuffers.add(buffer);
      const first = DATA + set * slots.inputs * slots.bytes;
      return Array.from(
        { length: inputs },
        (_, j) => new Uint8Array(buffer, first + j * slots!.bytes, elements * 2),
      );
    },
    load(base, models) {
      const n = base.length;
      const count = models.length;
      const lanes = (n + 3) & ~3; // kernels step four elements; the padding is zeros
      const bf16Bytes = align16(lanes * 2);
      const maskBytes = align16(lanes);
      const slotsEnd = DATA + (slots ? 2 * slots.inputs * slots.bytes : 0);
      const inSlot = (values: Uint16Array) =>
        slotBuffers.has(values.buffer) &&
        values.byteOffset >= DATA &&
        values.byteOffset + 2 * lanes <= slotsEnd;
      const inPlace = inSlot(base) && models.every(inSlot);
      // Work area after the input slots: copies of the inputs (unless in place), output, masks, lists.
      const work = slotsEnd;
      const copies = inPlace ? 0 : 5 * bf16Bytes;
      const basePointer = inPlace ? base.byteOffset : work;
      const modelPointer = (m: number) =>
        inPlace ? (models[m]?.byteOffset ?? basePointer) : work + (1 + m) * bf16Bytes;
      const outPointer = work + copies;
      const maskPointer = (m: number) => work + copies + bf16Bytes + m * maskBytes;
      const membersPointer = work + copies + bf16Bytes + 4 * maskBytes;
      if (!reserve(membersPointer)) return undefined;
      u32(POINTERS, 10).set([
        basePointer,
        ...[0, 1, 2, 3].map(modelPointer),
        outPointer,
        ...[0, 1, 2, 3].map(maskPointer),
      ]);
      const place = (pointer: number, values: Uint16Array) => {
        const slot = new Uint16Array(memory.buffer, pointer, lanes);
        if (!inPlace) slot.set(values);
        slot.fill(0, n); // slots are sized for the padding
      };
      place(basePointer, base);
      for (let m = 0; m < count; m++) place(modelPointer(m), models[m]!);
      const half = ((lanes >>> 1) + 3) & ~3;
      u32(HALVES, 4).set([0, half, half, lanes]);
      return {
        deltaHistograms(which, highs) {
          for (const high of highs) high.fill(0);
          // Two jobs per model (its halves) so the threads share the work evenly; the counts add up.
          runJobs(
            'hist',
            2 * which.length,
            lanes,
            (job, thread) => {
              new Uint32Array(memory.buffer, HIST(thread), 2 * 65536).fill(0);
              return [which[job >> 1]!, HIST(thread), HALF_RANGE(job % 2)];
            },
            (job, thread) => {
              const tables = u32(HIST(thread), 2 * 65536);
              const high = highs[job >> 1]!;
              for (let b = 0; b < 65536; b++) high[b]! += tables[b]! + tables[65536 + b]!;
              if (job % 2 === 1) high[0]! -= lanes - n; // padding zeros land in bucket 0
            },
          );
        },
        bucketMembers(which, buckets, sizes) {
          // Two jobs per model (its halves), each with room for the whole bucket (+ 4 padding zeros);
          // the halves' lists, in index order each, join in order.
          const rooms = sizes.map((size) => align16((size + 4) * 4));
          const starts: number[] = [];
          let end = membersPointer;
          for (const room of rooms) {
            for (let half = 0; half < 2; half++) {
              starts.push(end);
              end += 2 * room;
            }
          }
          if (!reserve(end)) return undefined;
          for (let job = 0; job < 2 * which.length; job++) {
            const room = rooms[job >> 1]!;
            u32(MEMBER_BLOCK(job), 4).set([starts[job]!, starts[job]! + room, 0, buckets[job >> 1]!]);
          }
          runJobs('members', 2 * which.length, lanes, (job) => [
            which[job >> 1]!,
            MEMBER_BLOCK(job),
            HALF_RANGE(job % 2),
          ]);
          return which.map((_, j) => {
            const size = sizes[j]!;
            const indices = new Int32Array(size);
            const bits = new Uint32Array(size);
            let total = 0;
            for (const job of [2 * j, 2 * j + 1]) {
              const found = Math.min(size - total, u32(MEMBER_BLOCK(job) + 8, 1)[0]!); // padding comes last
              indices.set(new Int32Array(memory.buffer, starts[job]!, found), total);
              bits.set(u32(starts[job]! + rooms[j]!, found), total);
              total += found;
            }
            return { indices, bits };
          });
        },
        dareMasks(streams, l1) {
          const masked = streams.flatMap((stream, m) => (stream ? [m] : []));
          for (const m of masked) {
            const { keys, start, threshold } = streams[m]!;
            u32(DARE_BLOCK(m), 7).set([
              ...keys,
              start % 4294967296,
              Math.floor(start / 4294967296),
              threshold,
            ]);
          }
          // Two jobs per model (its halves), so both threads get the same work.
          runJobs('dare', 2 * masked.length, lanes, (job) => {
            const m = masked[job >> 1]!;
            return [m, DARE_BLOCK(m), HALF_RANGE(job % 2)];
          });
          for (let m = 0; m < count; m++) {
            if (!streams[m]) new Uint8Array(memory.buffer, maskPointer(m), lanes).fill(0xff);
          }
          if (!l1) return undefined;
          // The sums are sequential per model: the threads take different models.
          const split = Math.ceil(count / 2);
          const groups =
            count > 1
              ? [
                  [0, split],
                  [split, count - split],
                ]
              : [[0, 1]];
          runJobs(
            (job) => l1Name(groups[job]![1]!),
            groups.length,
            lanes,
            (job) => [groups[job]![0]!, 0, lanes],
          );
          return Array.from({ length: count }, (_, m) =>
            new Float64Array(memory.buffer, DARE_BLOCK(m) + 32, 2).slice(),
          );
        },
        mix(keep, values, output) {
          const constants = new Float64Array(memory.buffer, CONSTANTS, 20);
          constants.set(values.subarray(0, 20));
          constants[14] = -1;
          constants[15] = 1;
          if (keep !== 'masks') {
            const rules = u32(THRESHOLDS, 12);
            for (let m = 0; m < count; m++) {
              rules[m] = keep[m]!.threshold;
              rules[4 + m] = keep[m]!.bucket;
              rules[8 + m] = keep[m]!.cutoff;
            }
          }
          // All-zero contributions make every divisor 1 (x / 1 = x), unit signs make eₘ·xₘ = xₘ: same bits.
          const variant: MixVariant = {
            normalize: [0, 1, 2, 3].some((m) => m < count && values[8 + m] !== 0),
            unitSigns: [0, 1, 2, 3].every((m) => m >= count || values[m] === 1),
          };
          // Two halves of the elements (split at a multiple of 4), one per thread.
          const split = helper(lanes) ? ((lanes >>> 1) + 3) & ~3 : lanes;
          runJobs(
            mixName(count, keep === 'masks' ? 'mask' : 'threshold', variant),
            split < lanes ? 2 : 1,
            lanes,
            (job, thread) => (job === 0 ? [0, split, NONFINITE(thread)] : [split, lanes, NONFINITE(thread)]),
          );
          // Padding lanes (zeros) give finite results unless λ is not finite: then the general path decides.
          const flags = new Int32Array(memory.buffer, NONFINITE(0), 8);
          if (flags.some((flag, i) => flag !== 0 && (split < lanes || i < 4))) return undefined;
          const result = new Uint16Array(memory.buffer, outPointer, n);
          if (!output || output.length !== n) return result.slice();
          output.set(result); // a reused buffer: no fresh pages to fault in
          return output;
        },
      };
    },
  };
}
