/**
 * WebAssembly SIMD versions of the two merge hot loops (weighted sum, TIES disjoint mix), assembled
 * here from their bytes like core-tensor's BF16 codec. V8 does not vectorise the scalar loops; these
 * do two elements per step in f64x2 lanes with EXACTLY the scalar loops' float64 operations in the
 * same order (wasm has no fused multiply-add), so the float32 results are bit-identical. Data goes
 * through the module's memory in L2-sized chunks. Undefined where WebAssembly SIMD is unavailable.
 */

/** Elements per chunk and array: 6 regions × 32 KiB, after a 1 KiB constant block. */
export const MIX_WASM_CHUNK = 8192;
const CONSTANTS = 0;
const REGION = (k: number): number => 1024 + k * MIX_WASM_CHUNK * 4;
/** Region 0 holds the output (the election score on entry for the mix), 1 the base, 2–5 the 4 inputs. */
const OUT = REGION(0);
const BASE = REGION(1);
const INPUT = (m: number): number => REGION(2 + m);

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
const get = (index: number): number[] => [0x20, index];
const set = (index: number): number[] => [0x21, index];
/** 2 float32 at `p + offset`, widened to f64x2 (v128.load64_zero, f64x2.promote_low_f32x4). */
const loadPair = (offset: number): number[] => [
  ...get(1),
  ...simd(0x5d),
  0x03,
  ...leb(offset),
  ...simd(0x5f),
];
/** f64 constant `index` of the constant block, splatted (v128.load64_splat). */
const constant = (index: number): number[] => [
  0x41,
  0x00,
  ...simd(0x0a),
  0x03,
  ...leb(CONSTANTS + 8 * index),
];
const F64X2_GT = 0x4a;
const F64X2_LT = 0x49;
const F64X2_EQ = 0x47;
const F64X2_ADD = 0xf0;
const F64X2_MUL = 0xf2;
const F64X2_DIV = 0xf3;
const V128_AND = 0x4e;
const BITSELECT = 0x52;

// Locals after param 0 (n): 1 p (byte position), 2 end, then v128 locals from 3.
const V = 3;
const ZERO = V;
const ONE = V + 1;
const SIGN = V + 2;
const SUM = V + 3;
const DIV = V + 4;
const A = (m: number): number => V + 5 + m;
const X = (m: number): number => V + 9 + m;
const V128_LOCALS = 13;

/** Loop over p = 0, 8, … < 4n (two elements per step) running `step`, then store f64x2 `SUM` demoted to OUT. */
const loop = (setup: number[], step: number[]): number[] => [
  0x02, // local declarations: 2 groups
  0x02,
  0x7f, // 2 × i32: p, end
  ...leb(V128_LOCALS),
  0x7b,
  ...get(0),
  0x41,
  0x02,
  0x74, // n << 2
  ...set(2),
  ...simd(0x0c),
  ...new Array(16).fill(0), // v128.const 0
  ...set(ZERO),
  ...constant(15),
  ...set(ONE),
  ...setup,
  0x02,
  0x40,
  0x03,
  0x40,
  ...get(1),
  ...get(2),
  0x4f, // i32.ge_u
  0x0d,
  0x01,
  ...step,
  ...get(1), // address for the store
  ...get(SUM),
  ...simd(0x5e), // f32x4.demote_f64x2_zero
  ...simd(0x5b), // v128.store64_lane
  0x03,
  ...leb(OUT),
  0x00,
  ...get(1),
  0x41,
  0x08,
  0x6a,
  ...set(1),
  0x0c,
  0x00,
  0x0b,
  0x0b,
  0x0b,
];

// Constant block (f64): 0–3 election signs, 4–7 mix weights, 8–11 contributions, 12 tie sign, 13 λ, 14 −1,
// 15 one, 16–19 election weights.
/** Σ wₘxₘ left to right, as `w0 * x0[i] + w1 * x1[i] + …` in the scalar loop; `accumulate` starts from out[i]. */
const weightedSumBody = (accumulate: boolean): number[] => {
  const term = (m: number): number[] => [...get(A(m)), ...loadPair(INPUT(m)), ...simd(F64X2_MUL)];
  const body: number[] = accumulate ? [...loadPair(OUT), ...term(0), ...simd(F64X2_ADD)] : term(0);
  for (let m = 1; m < 4; m++) body.push(...term(m), ...simd(F64X2_ADD));
  body.push(...set(SUM));
  const setup: number[] = [];
  for (let m = 0; m < 4; m++) setup.push(...constant(4 + m), ...set(A(m)));
  return loop(setup, body);
};

/**
 * The disjoint mix of `disjointMixInto` (4 models): sign = s > 0 ? 1 : s < 0 ? −1 : tie; aₘ = +(eₘ·vₘ·sign > 0);
 * out = base + λ·((a0·w0·v0 + …) / d) with d = a0·c0 + … and d += +(d === 0).
 */
const mixBody = (electFirst: boolean): number[] => {
  const step: number[] = [];
  if (electFirst) {
    // The election score Σ eₘ'·xₘ (constants 16–19) rounded to float32, as weightedSumInto stores it.
    const term = (m: number): number[] => [...constant(16 + m), ...loadPair(INPUT(m)), ...simd(F64X2_MUL)];
    step.push(...term(0));
    for (let m = 1; m < 4; m++) step.push(...term(m), ...simd(F64X2_ADD));
    step.push(...simd(0x5e), ...simd(0x5f), ...set(SUM));
  } else step.push(...loadPair(OUT), ...set(SUM));
  // sign: bitselect(1, bitselect(−1, tie, s < 0), s > 0).
  step.push(
    ...get(ONE),
    ...constant(14),
    ...constant(12),
    ...get(SUM),
    ...get(ZERO),
    ...simd(F64X2_LT),
    ...simd(BITSELECT),
    ...get(SUM),
    ...get(ZERO),
    ...simd(F64X2_GT),
    ...simd(BITSELECT),
    ...set(SIGN),
  );
  for (let m = 0; m < 4; m++) {
    step.push(
      ...loadPair(INPUT(m)),
      ...set(X(m)),
      ...constant(m),
      ...get(X(m)),
      ...simd(F64X2_MUL),
      ...get(SIGN),
      ...simd(F64X2_MUL),
      ...get(ZERO),
      ...simd(F64X2_GT),
      ...get(ONE),
      ...simd(V128_AND),
      ...set(A(m)),
    );
  }
  // mixed = ((a0·w0)·v0 + (a1·w1)·v1) + …
  for (let m = 0; m < 4; m++) {
    step.push(...get(A(m)), ...constant(4 + m), ...simd(F64X2_MUL), ...get(X(m)), ...simd(F64X2_MUL));
    if (m > 0) step.push(...simd(F64X2_ADD));
  }
  step.push(...set(SUM));
  for (let m = 0; m < 4; m++) {
    step.push(...get(A(m)), ...constant(8 + m), ...simd(F64X2_MUL));
    if (m > 0) step.push(...simd(F64X2_ADD));
  }
  step.push(...set(DIV));
  step.push(
    ...get(DIV),
    ...get(DIV),
    ...get(ZERO),
    ...simd(F64X2_EQ),
    ...get(ONE),
    ...simd(V128_AND),
    ...simd(F64X2_ADD),
    ...set(DIV),
  );
  step.push(
    ...loadPair(BASE),
    ...constant(13),
    ...get(SUM),
    ...get(DIV),
    ...simd(F64X2_DIV),
    ...simd(F64X2_MUL),
    ...simd(F64X2_ADD),
    ...set(SUM),
  );
  return loop([], step);
};

/** bf16 pair at `p + offset` (u16 units: p counts 4 bytes per step here) widened to f64x2. */
const loadBf16Pair = (offset: number): number[] => [
  ...get(1),
  ...simd(0x5c), // v128.load32_zero
  0x02,
  ...leb(offset),
  ...simd(0xa9), // i32x4.extend_low_i16x8_u
  0x41,
  0x10,
  ...simd(0xab), // i32x4.shl 16: the float32 bit pattern
  ...simd(0x5f),
];
const splatI32 = (value: number): number[] => {
  const lanes: number[] = [];
  for (let i = 0; i < 4; i++)
    lanes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  return [...simd(0x0c), ...lanes];
};
const NONFINITE = 256;

/**
 * Fused linear merge of BF16 inputs into BF16: decode (exact), Σ wₘxₘ in f64 left to right, round to
 * float32, record non-finite results, round to BF16 (nearest, ties to even; NaN quieted) exactly as
 * core-tensor's f32ToBf16. Two elements per step; p advances 4 bytes (two u16).
 */
const linearBf16Body = (): number[] => {
  const step: number[] = [];
  const term = (m: number): number[] => [...get(A(m)), ...loadBf16Pair(INPUT(m)), ...simd(F64X2_MUL)];
  step.push(...term(0));
  for (let m = 1; m < 4; m++) step.push(...term(m), ...simd(F64X2_ADD));
  step.push(...simd(0x5e), ...set(SUM)); // float32 lanes 0, 1 (2, 3 are zero)
  // non-finite: (x & 0x7f800000) == 0x7f800000
  step.push(
    ...get(DIV),
    ...get(SUM),
    ...splatI32(0x7f800000),
    ...simd(V128_AND),
    ...splatI32(0x7f800000),
    ...simd(0x37), // i32x4.eq
    ...simd(0x50), // v128.or
    ...set(DIV),
  );
  // BF16 rounding as in bf16-wasm.ts
  step.push(
    ...get(1), // store address
    ...get(SUM),
    0x41,
    0x10,
    ...simd(0xad),
    ...splatI32(0x40),
    ...simd(0x50),
    ...get(SUM),
    ...get(SUM),
    0x41,
    0x10,
    ...simd(0xad),
    ...splatI32(1),
    ...simd(V128_AND),
    ...splatI32(0x7fff),
    ...simd(0xae),
    ...simd(0xae),
    0x41,
    0x10,
    ...simd(0xad),
    ...get(SUM),
    ...splatI32(0x7fffffff),
    ...simd(V128_AND),
    ...splatI32(0x7f800000),
    ...simd(0x3c), // i32x4.gt_u
    ...simd(BITSELECT),
    ...set(X(0)),
    ...get(X(0)),
    ...get(X(0)),
    ...simd(0x86), // i16x8.narrow_i32x4_u
    ...simd(0x5a), // v128.store32_lane
    0x02,
    ...leb(OUT),
    0x00,
  );
  const setup: number[] = [];
  for (let m = 0; m < 4; m++) setup.push(...constant(4 + m), ...set(A(m)));
  return [
    0x02,
    0x02,
    0x7f,
    ...leb(V128_LOCALS),
    0x7b,
    ...get(0),
    0x41,
    0x01,
    0x74, // n << 1 (two bytes per element)
    ...set(2),
    ...setup,
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(1),
    ...get(2),
    0x4f,
    0x0d,
    0x01,
    ...step,
    ...get(1),
    0x41,
    0x04,
    0x6a,
    ...set(1),
    0x0c,
    0x00,
    0x0b,
    0x0b,
    // store the non-finite lanes for the caller
    0x41,
    0x00,
    ...get(DIV),
    ...simd(0x0b),
    0x04,
    ...leb(NONFINITE),
    0x0b,
  ];
};

/**
 * DARE's random mask on a task vector: out = (model − base) · (draw < T ? 1 : 0) in float32 lanes, with
 * the draws (u32) in region 3 and T (u32) at byte 144. Equal to the scalar float64 expression: a float32
 * difference rounded once, times exactly 1 or 0 (which keeps the difference's signed zero).
 */
const THRESHOLD = 272;
const dareMaskBody = (): number[] => {
  const step = [
    ...get(1),
    ...get(1),
    ...simd(0x00),
    0x04,
    ...leb(INPUT(0)),
    ...get(1),
    ...simd(0x00),
    0x04,
    ...leb(BASE),
    ...simd(0xe5), // f32x4.sub
    ...get(1),
    ...simd(0x00),
    0x04,
    ...leb(INPUT(1)),
    ...get(SIGN), // T splatted
    ...simd(0x3a), // i32x4.lt_u
    ...get(ONE),
    ...simd(V128_AND),
    ...simd(0xe6), // f32x4.mul
    ...simd(0x0b),
    0x04,
    ...leb(OUT),
  ];
  return [
    0x02,
    0x02,
    0x7f,
    ...leb(V128_LOCALS),
    0x7b,
    ...get(0),
    0x41,
    0x02,
    0x74,
    ...set(2),
    ...splatI32(0x3f800000), // 1.0f
    ...set(ONE),
    0x41,
    0x00,
    ...simd(0x09), // v128.load32_splat
    0x02,
    ...leb(THRESHOLD),
    ...set(SIGN),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(1),
    ...get(2),
    0x4f,
    0x0d,
    0x01,
    ...step,
    ...get(1),
    0x41,
    0x10,
    0x6a,
    ...set(1),
    0x0c,
    0x00,
    0x0b,
    0x0b,
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
  const f32Load = (offset: number): number[] => [...get(1), 0x2a, 0x02, ...leb(offset), 0xbb];
  return [
    0x03,
    0x02,
    0x7f,
    0x04,
    0x7c,
    0x01,
    0x7f,
    ...get(0),
    0x41,
    0x02,
    0x74,
    ...set(2),
    0x41,
    0x00,
    0x2b,
    0x03,
    ...leb(L1_SUMS),
    ...set(LB),
    0x41,
    0x00,
    0x2b,
    0x03,
    ...leb(L1_SUMS + 8),
    ...set(LA),
    0x41,
    0x00,
    0x28,
    0x02,
    ...leb(THRESHOLD),
    ...set(T),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(1),
    ...get(2),
    0x4f,
    0x0d,
    0x01,
    ...f32Load(INPUT(0)),
    ...f32Load(BASE),
    0xa1, // f64.sub
    ...set(D),
    ...get(D),
    ...get(1),
    0x28,
    0x02,
    ...leb(INPUT(1)),
    ...get(T),
    0x49, // i32.lt_u
    0xb8, // f64.convert_i32_u
    0xa2, // f64.mul
    ...set(K),
    ...get(LB),
    ...get(D),
    0x99, // f64.abs
    0xa0,
    ...set(LB),
    ...get(LA),
    ...get(K),
    0x99,
    0xa0,
    ...set(LA),
    ...get(1),
    ...get(K),
    0xb6, // f32.demote_f64
    0x38,
    0x02,
    ...leb(OUT),
    ...get(1),
    0x41,
    0x04,
    0x6a,
    ...set(1),
    0x0c,
    0x00,
    0x0b,
    0x0b,
    0x41,
    0x00,
    ...get(LB),
    0x39,
    0x03,
    ...leb(L1_SUMS),
    0x41,
    0x00,
    ...get(LA),
    0x39,
    0x03,
    ...leb(L1_SUMS + 8),
    0x0b,
  ];
};

const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bodies = [
    weightedSumBody(false),
    weightedSumBody(true),
    mixBody(false),
    linearBf16Body(),
    dareMaskBody(),
    mixBody(true),
    dareMaskL1Body(),
  ];
  const pages = Math.ceil(REGION(6) / 65536);
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x00]), // type 0: (i32) -> ()
    ...section(3, [0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
    ...section(5, [0x01, 0x00, pages]),
    ...section(7, [
      0x08,
      ...name('mem'),
      0x02,
      0x00,
      ...name('ws'),
      0x00,
      0x00,
      ...name('wsa'),
      0x00,
      0x01,
      ...name('mix'),
      0x00,
      0x02,
      ...name('lin'),
      0x00,
      0x03,
      ...name('dare'),
      0x00,
      0x04,
      ...name('emix'),
      0x00,
      0x05,
      ...name('dl1'),
      0x00,
      0x06,
    ]),
    ...section(10, [0x07, ...bodies.flatMap((b) => [...leb(b.length), ...b])]),
  ]);
}

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
   */
  disjointMix(
    out: Float32Array,
    score: Float32Array | undefined,
    base: Float32Array,
    deltas: readonly [Float32Array, Float32Array, Float32Array, Float32Array],
    constants: Float64Array,
    n: number,
  ): void;
}

let kernels: MixKernels | null | undefined;

/** The SIMD kernels, or undefined without WebAssembly SIMD. */
export function mixWasmKernels(): MixKernels | undefined {
  if (kernels !== undefined) return kernels ?? undefined;
  kernels = null;
  const bytes = moduleBytes();
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return undefined;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
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
  kernels = {
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
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        if (score) out.set(score.subarray(s, e));
        base.set(baseValues.subarray(s, e));
        for (let m = 0; m < 4; m++) inputs[m]!.set(deltas[m]!.subarray(s, e));
        (score ? mix : emix)(e - s);
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
    },
  };
  return kernels;
}
