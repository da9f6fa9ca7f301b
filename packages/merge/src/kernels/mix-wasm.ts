/**
 * WebAssembly SIMD versions of the two merge hot loops (weighted sum, TIES disjoint mix), assembled
 * from their bytes with core-tensor's `assembleModule`. V8 does not vectorise the scalar loops; these
 * do two elements per step in f64x2 lanes with EXACTLY the scalar loops' float64 operations in the
 * same order (wasm has no fused multiply-add), so the float32 results are bit-identical. Data goes
 * through the module's memory in L2-sized chunks. Undefined where WebAssembly SIMD is unavailable.
 */

import {
  addToLocal,
  bf16RoundLanes,
  i32x4Const,
  localGet,
  localSet,
  loopWhileBelow,
  simdOp,
  uleb,
  WASM_I32,
  type WasmModuleSpec,
  wasmOnce,
} from '@modelsmith/core-tensor';
import { type DisjointMixLanes, disjointMixLanes, electionScoreLanes } from './disjoint-mix-lanes.js';

/** Elements per chunk and array: 6 regions × 32 KiB, after a 1 KiB constant block. */
export const MIX_WASM_CHUNK = 8192;
const CONSTANTS = 0;
const REGION = (k: number): number => 1024 + k * MIX_WASM_CHUNK * 4;
/** Region 0 holds the output (the election score on entry for the mix), 1 the base, 2–5 the 4 inputs. */
const OUT = REGION(0);
const BASE = REGION(1);
const INPUT = (m: number): number => REGION(2 + m);

/** 2 float32 at `p + offset`, widened to f64x2 (v128.load64_zero, f64x2.promote_low_f32x4). */
const loadPair = (offset: number): number[] => [
  ...localGet(1),
  ...simdOp(0x5d),
  0x03,
  ...uleb(offset),
  ...simdOp(0x5f),
];
/** f64 constant `index` of the constant block, splatted (v128.load64_splat). */
const constant = (index: number): number[] => [
  0x41,
  0x00,
  ...simdOp(0x0a),
  0x03,
  ...uleb(CONSTANTS + 8 * index),
];
const F64X2_ADD = 0xf0;
const F64X2_MUL = 0xf2;
const V128_AND = 0x4e;

// Locals after param 0 (n): 1 p (byte position), 2 end, then v128 locals from 3.
const V = 3;
const ZERO = V;
const ONE = V + 1;
const SIGN = V + 2;
const SUM = V + 3;
const DIV = V + 4;
const A = (m: number): number => V + 5 + m;
const X = (m: number): number => V + 9 + m;
/** Non-finite float32 results seen so far (all-ones lanes), for loops that check them. */
const NF = V + 13;
const V128_LOCALS = 14;

/** Loop over p = 0, 8, … < 4n (two elements per step) running `step`, then store f64x2 `SUM` demoted to OUT. */
const loop = (setup: number[], step: number[], checkFinite = false): number[] => [
  0x02, // local declarations: 2 groups
  0x02,
  0x7f, // 2 × i32: p, end
  ...uleb(V128_LOCALS),
  0x7b,
  ...localGet(0),
  0x41,
  0x02,
  0x74, // n << 2
  ...localSet(2),
  ...simdOp(0x0c),
  ...new Array(16).fill(0), // v128.const 0
  ...localSet(ZERO),
  ...constant(15),
  ...localSet(ONE),
  ...setup,
  ...loopWhileBelow(1, 2, [
    ...step,
    ...(checkFinite
      ? [
          // NF |= ((float32 bits & 0x7f800000) == 0x7f800000): the exponent is all ones only for ±Inf, NaN
          ...localGet(NF),
          ...localGet(SUM),
          ...simdOp(0x5e),
          ...i32x4Const(0x7f800000),
          ...simdOp(V128_AND),
          ...i32x4Const(0x7f800000),
          ...simdOp(0x37), // i32x4.eq
          ...simdOp(0x50), // v128.or
          ...localSet(NF),
        ]
      : []),
    ...localGet(1), // address for the store
    ...localGet(SUM),
    ...simdOp(0x5e), // f32x4.demote_f64x2_zero
    ...simdOp(0x5b), // v128.store64_lane
    0x03,
    ...uleb(OUT),
    0x00,
    ...addToLocal(1, 8),
  ]),
  ...(checkFinite ? [0x41, 0x00, ...localGet(NF), ...simdOp(0x0b), 0x04, ...uleb(NONFINITE)] : []),
  0x0b,
];

// Constant block (f64): 0–3 election signs, 4–7 mix weights, 8–11 contributions, 12 tie sign, 13 λ, 14 −1,
// 15 one, 16–19 election weights.
/** Σ wₘxₘ left to right, as `w0 * x0[i] + w1 * x1[i] + …` in the scalar loop; `accumulate` starts from out[i]. */
const weightedSumBody = (accumulate: boolean): number[] => {
  const term = (m: number): number[] => [...localGet(A(m)), ...loadPair(INPUT(m)), ...simdOp(F64X2_MUL)];
  const body: number[] = accumulate ? [...loadPair(OUT), ...term(0), ...simdOp(F64X2_ADD)] : term(0);
  for (let m = 1; m < 4; m++) body.push(...term(m), ...simdOp(F64X2_ADD));
  body.push(...localSet(SUM));
  const setup: number[] = [];
  for (let m = 0; m < 4; m++) setup.push(...constant(4 + m), ...localSet(A(m)));
  return loop(setup, body);
};

/**
 * The disjoint mix of `disjointMixInto` (4 models): sign = s > 0 ? 1 : s < 0 ? −1 : tie; aₘ = +(eₘ·vₘ·sign > 0);
 * out = base + λ·((a0·w0·v0 + …) / d) with d = a0·c0 + … and d += +(d === 0).
 */
const mixBody = (electFirst: boolean): number[] => {
  const lanes: DisjointMixLanes = {
    count: 4,
    x: [0, 1, 2, 3].map(X),
    agree: [0, 1, 2, 3].map(A),
    sum: SUM,
    sign: SIGN,
    divisor: DIV,
    zero: ZERO,
    one: ONE,
    constant,
  };
  const step: number[] = [];
  for (let m = 0; m < 4; m++) step.push(...loadPair(INPUT(m)), ...localSet(X(m)));
  // The election score Σ eₘ'·xₘ (constants 16–19) rounded to float32 as weightedSumInto stores it, or
  // the stored score.
  step.push(...(electFirst ? electionScoreLanes(lanes) : [...loadPair(OUT), ...localSet(SUM)]));
  step.push(...disjointMixLanes(lanes, loadPair(BASE)), ...localSet(SUM));
  return loop([], step, true);
};

/** bf16 pair at `p + offset` (u16 units: p counts 4 bytes per step here) widened to f64x2. */
const loadBf16Pair = (offset: number): number[] => [
  ...localGet(1),
  ...simdOp(0x5c), // v128.load32_zero
  0x02,
  ...uleb(offset),
  ...simdOp(0xa9), // i32x4.extend_low_i16x8_u
  0x41,
  0x10,
  ...simdOp(0xab), // i32x4.shl 16: the float32 bit pattern
  ...simdOp(0x5f),
];
const NONFINITE = 256;

/**
 * Fused linear merge of BF16 inputs into BF16: decode (exact), Σ wₘxₘ in f64 left to right, round to
 * float32, record non-finite results, round to BF16 (nearest, ties to even; NaN quieted) exactly as
 * core-tensor's f32ToBf16. Two elements per step; p advances 4 bytes (two u16).
 */
const linearBf16Body = (): number[] => {
  const step: number[] = [];
  const term = (m: number): number[] => [...localGet(A(m)), ...loadBf16Pair(INPUT(m)), ...simdOp(F64X2_MUL)];
  step.push(...term(0));
  for (let m = 1; m < 4; m++) step.push(...term(m), ...simdOp(F64X2_ADD));
  step.push(...simdOp(0x5e), ...localSet(SUM)); // float32 lanes 0, 1 (2, 3 are zero)
  // non-finite: (x & 0x7f800000) == 0x7f800000
  step.push(
    ...localGet(DIV),
    ...localGet(SUM),
    ...i32x4Const(0x7f800000),
    ...simdOp(V128_AND),
    ...i32x4Const(0x7f800000),
    ...simdOp(0x37), // i32x4.eq
    ...simdOp(0x50), // v128.or
    ...localSet(DIV),
  );
  // BF16 rounding: core-tensor's codec instructions
  step.push(
    ...localGet(1), // store address
    ...bf16RoundLanes(SUM),
    ...localSet(X(0)),
    ...localGet(X(0)),
    ...localGet(X(0)),
    ...simdOp(0x86), // i16x8.narrow_i32x4_u
    ...simdOp(0x5a), // v128.store32_lane
    0x02,
    ...uleb(OUT),
    0x00,
  );
  const setup: number[] = [];
  for (let m = 0; m < 4; m++) setup.push(...constant(4 + m), ...localSet(A(m)));
  return [
    0x02,
    0x02,
    0x7f,
    ...uleb(V128_LOCALS),
    0x7b,
    ...localGet(0),
    0x41,
    0x01,
    0x74, // n << 1 (two bytes per element)
    ...localSet(2),
    ...setup,
    ...loopWhileBelow(1, 2, [...step, ...addToLocal(1, 4)]),
    // store the non-finite lanes for the caller
    0x41,
    0x00,
    ...localGet(DIV),
    ...simdOp(0x0b),
    0x04,
    ...uleb(NONFINITE),
    0x0b,
  ];
};

/**
 * DARE's random mask on a task vector: out = (model − base) · (draw < T ? 1 : 0) in float32 lanes, with
 * the draws (u32) in INPUT(1) and T (u32) at THRESHOLD. Equal to the scalar float64 expression: a float32
 * difference rounded once, times exactly 1 or 0 (which keeps the difference's signed zero).
 */
const THRESHOLD = 272;
const dareMaskBody = (): number[] => {
  const step = [
    ...localGet(1),
    ...localGet(1),
    ...simdOp(0x00),
    0x04,
    ...uleb(INPUT(0)),
    ...localGet(1),
    ...simdOp(0x00),
    0x04,
    ...uleb(BASE),
    ...simdOp(0xe5), // f32x4.sub
    ...localGet(1),
    ...simdOp(0x00),
    0x04,
    ...uleb(INPUT(1)),
    ...localGet(SIGN), // T splatted
    ...simdOp(0x3a), // i32x4.lt_u
    ...localGet(ONE),
    ...simdOp(V128_AND),
    ...simdOp(0xe6), // f32x4.mul
    ...simdOp(0x0b),
    0x04,
    ...uleb(OUT),
  ];
  return [
    0x02,
    0x02,
    0x7f,
    ...uleb(V128_LOCALS),
    0x7b,
    ...localGet(0),
    0x41,
    0x02,
    0x74,
    ...localSet(2),
    ...i32x4Const(0x3f800000), // 1.0f
    ...localSet(ONE),
    0x41,
    0x00,
    ...simdOp(0x09), // v128.load32_splat
    0x02,
    ...uleb(THRESHOLD),
    ...localSet(SIGN),
    ...loopWhileBelow(1, 2, [...step, ...addToLocal(1, 16)]),
    0x0b,
  ];
};

/**
 * `dareMask` plus the two L1 norms the `l1_norm` rescale needs, as the scalar loop computes them:
 * float64 differences, sequential float64 sums in index order (scalar wasm: the order fixes the bits).
 * The running sums enter and leave through bytes 288 (before) and 296 (after).
 */
const L1_SUMS = 288;
const dareMaskL1Body = (): number[] => {
  const D = 3;
  const K = 4;
  const LB = 5;
  const LA = 6;
  const T = 7;
  const f32Load = (offset: number): number[] => [...localGet(1), 0x2a, 0x02, ...uleb(offset), 0xbb];
  return [
    0x03,
    0x02,
    0x7f,
    0x04,
    0x7c,
    0x01,
    0x7f,
    ...localGet(0),
    0x41,
    0x02,
    0x74,
    ...localSet(2),
    0x41,
    0x00,
    0x2b,
    0x03,
    ...uleb(L1_SUMS),
    ...localSet(LB),
    0x41,
    0x00,
    0x2b,
    0x03,
    ...uleb(L1_SUMS + 8),
    ...localSet(LA),
    0x41,
    0x00,
    0x28,
    0x02,
    ...uleb(THRESHOLD),
    ...localSet(T),
    ...loopWhileBelow(1, 2, [
      ...f32Load(INPUT(0)),
      ...f32Load(BASE),
      0xa1, // f64.sub
      ...localSet(D),
      ...localGet(D),
      ...localGet(1),
      0x28,
      0x02,
      ...uleb(INPUT(1)),
      ...localGet(T),
      0x49, // i32.lt_u
      0xb8, // f64.convert_i32_u
      0xa2, // f64.mul
      ...localSet(K),
      ...localGet(LB),
      ...localGet(D),
      0x99, // f64.abs
      0xa0,
      ...localSet(LB),
      ...localGet(LA),
      ...localGet(K),
      0x99,
      0xa0,
      ...localSet(LA),
      ...localGet(1),
      ...localGet(K),
      0xb6, // f32.demote_f64
      0x38,
      0x02,
      ...uleb(OUT),
      ...addToLocal(1, 4),
    ]),
    0x41,
    0x00,
    ...localGet(LB),
    0x39,
    0x03,
    ...uleb(L1_SUMS),
    0x41,
    0x00,
    ...localGet(LA),
    0x39,
    0x03,
    ...uleb(L1_SUMS + 8),
    0x0b,
  ];
};

const moduleSpec = (): WasmModuleSpec => {
  const bodies: [string, number[]][] = [
    ['ws', weightedSumBody(false)],
    ['wsa', weightedSumBody(true)],
    ['mix', mixBody(false)],
    ['lin', linearBf16Body()],
    ['dare', dareMaskBody()],
    ['emix', mixBody(true)],
    ['dl1', dareMaskL1Body()],
  ];
  return {
    types: [{ params: [WASM_I32], results: [] }],
    functions: bodies.map(([name, body]) => ({ name, type: 0, body })),
    memoryPages: Math.ceil(REGION(6) / 65536),
  };
};

export interface MixKernels {
  /** out[i] = (out[i] +) w0·x0[i] + w1·x1[i] + w2·x2[i] + w3·x3[i] over [0, n), n even. */
  weightedSum(
    out: Float32Array,
    arrays: readonly [Float32Array, Float32Array, Float32Array, Float32Array],
    weights: readonly [number, number, number, number],
    accumulate: boolean,
    n: number,
  ): void;
  /**
   * out[i] = bf16(Σₘ weights[m] · x[m][i]) for BF16 inputs over [0, n), bit-identical to decoding,
   * `weightedSumInto` and `f32ToBf16`; false when some float32 sum is not finite (out is then partial).
   */
  linearBf16(
    out: Uint16Array,
    inputs: readonly [Uint16Array, Uint16Array, Uint16Array, Uint16Array],
    weights: readonly [number, number, number, number],
    n: number,
  ): boolean;
  /**
   * out[i] = (model[i] − base[i]) · +(draws[i] < threshold) over [0, n) for an integer threshold in
   * [0, 2³²); the same bits as the scalar float64 expression.
   */
  dareMask(
    out: Float32Array,
    model: Float32Array,
    base: Float32Array,
    draws: Uint32Array,
    threshold: number,
    n: number,
  ): void;
  /**
   * `dareMask` that also adds Σ|model − base| to sums[0] and Σ|kept| to sums[1] (float64, index order,
   * as the scalar loop does); call block after block with the same `sums`.
   */
  dareMaskL1(
    out: Float32Array,
    model: Float32Array,
    base: Float32Array,
    draws: Uint32Array,
    threshold: number,
    n: number,
    sums: Float64Array,
  ): void;
  /**
   * The 4-model disjoint mix over [0, n), n even; `out` may alias `score`. Without `score`, the score
   * is the float32-rounded Σ constants[16 + m]·deltas[m] (the election sum, fused in the same pass).
   * Returns whether every result is finite (checked in the same pass).
   */
  disjointMix(
    out: Float32Array,
    score: Float32Array | undefined,
    base: Float32Array,
    deltas: readonly [Float32Array, Float32Array, Float32Array, Float32Array],
    constants: Float64Array,
    n: number,
  ): boolean;
}

/** The SIMD kernels, or undefined without WebAssembly SIMD. */
export const mixWasmKernels: () => MixKernels | undefined = wasmOnce(moduleSpec, (exports) => {
  const memory = (exports.mem as WebAssembly.Memory).buffer;
  const ws = exports.ws as (n: number) => void;
  const wsa = exports.wsa as (n: number) => void;
  const mix = exports.mix as (n: number) => void;
  const lin = exports.lin as (n: number) => void;
  const dare = exports.dare as (n: number) => void;
  const thresholdView = new Uint32Array(memory, THRESHOLD, 1);
  const drawsView = new Uint32Array(memory, INPUT(1), MIX_WASM_CHUNK);
  const nonFinite = new Int32Array(memory, NONFINITE, 4);
  const outBf16 = new Uint16Array(memory, OUT, MIX_WASM_CHUNK);
  const inputsBf16 = [0, 1, 2, 3].map((m) => new Uint16Array(memory, INPUT(m), MIX_WASM_CHUNK + 2));
  const view = (offset: number) => new Float32Array(memory, offset, MIX_WASM_CHUNK);
  const out = view(OUT);
  const base = view(BASE);
  const inputs = [0, 1, 2, 3].map((m) => view(INPUT(m)));
  const constants = new Float64Array(memory, CONSTANTS, 20);
  const emix = exports.emix as (n: number) => void;
  const dl1 = exports.dl1 as (n: number) => void;
  const l1Sums = new Float64Array(memory, L1_SUMS, 2);
  constants[15] = 1;
  constants[14] = -1;
  return {
    weightedSum(target, arrays, weights, accumulate, n) {
      for (let m = 0; m < 4; m++) constants[4 + m] = weights[m]!;
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        for (let m = 0; m < 4; m++) inputs[m]!.set(arrays[m]!.subarray(s, e));
        if (accumulate) out.set(target.subarray(s, e));
        (accumulate ? wsa : ws)(e - s);
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
    },
    linearBf16(target, arrays, weights, n) {
      for (let m = 0; m < 4; m++) constants[4 + m] = weights[m]!;
      let finite = true;
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        const count = e - s;
        for (let m = 0; m < 4; m++) {
          inputsBf16[m]!.set(arrays[m]!.subarray(s, e));
          inputsBf16[m]![count] = 0; // the odd tail's partner lane: a finite 0, result discarded
        }
        lin(count);
        finite &&= (nonFinite[0]! | nonFinite[1]!) === 0;
        target.set(count === MIX_WASM_CHUNK ? outBf16 : outBf16.subarray(0, count), s);
      }
      return finite;
    },
    dareMask(target, model, baseValues, draws, threshold, n) {
      thresholdView[0] = threshold;
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        inputs[0]!.set(model.subarray(s, e));
        base.set(baseValues.subarray(s, e));
        drawsView.set(draws.subarray(s, e));
        dare(e - s);
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
    },
    dareMaskL1(target, model, baseValues, draws, threshold, n, sums) {
      thresholdView[0] = threshold;
      l1Sums.set(sums);
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        inputs[0]!.set(model.subarray(s, e));
        base.set(baseValues.subarray(s, e));
        drawsView.set(draws.subarray(s, e));
        dl1(e - s);
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
      sums.set(l1Sums);
    },
    disjointMix(target, score, baseValues, deltas, values, n) {
      constants.set(values.subarray(0, 14));
      constants[14] = -1;
      if (!score) constants.set(values.subarray(16, 20), 16);
      let finite = true;
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        if (score) out.set(score.subarray(s, e));
        base.set(baseValues.subarray(s, e));
        for (let m = 0; m < 4; m++) inputs[m]!.set(deltas[m]!.subarray(s, e));
        (score ? mix : emix)(e - s);
        finite &&= (nonFinite[0]! | nonFinite[1]! | nonFinite[2]! | nonFinite[3]!) === 0;
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
      return finite;
    },
  };
});
