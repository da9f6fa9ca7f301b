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
const loadPair = (offset: number): number[] => [...get(1), ...simd(0x5d), 0x03, ...leb(offset), ...simd(0x5f)];
/** f64 constant `index` of the constant block, splatted (v128.load64_splat). */
const constant = (index: number): number[] => [0x41, 0x00, ...simd(0x0a), 0x03, ...leb(CONSTANTS + 8 * index)];
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

// Constant block (f64): 0–3 election signs, 4–7 mix weights, 8–11 contributions, 12 tie sign, 13 λ, 15 one.
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
const mixBody = (): number[] => {
  const step: number[] = [];
  // sign: bitselect(1, bitselect(−1, tie, s < 0), s > 0); −1 is kept in DIV's slot until used.
  step.push(...loadPair(OUT), ...set(SUM));
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

const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bodies = [weightedSumBody(false), weightedSumBody(true), mixBody()];
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
    ...section(3, [0x03, 0x00, 0x00, 0x00]),
    ...section(5, [0x01, 0x00, pages]),
    ...section(7, [
      0x04,
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
    ]),
    ...section(10, [0x03, ...bodies.flatMap((b) => [...leb(b.length), ...b])]),
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
  /** The 4-model disjoint mix over [0, n), n even; `out` may alias `score`. */
  disjointMix(
    out: Float32Array,
    score: Float32Array,
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
  const view = (offset: number) => new Float32Array(memory, offset, MIX_WASM_CHUNK);
  const out = view(OUT);
  const base = view(BASE);
  const inputs = [0, 1, 2, 3].map((m) => view(INPUT(m)));
  const constants = new Float64Array(memory, CONSTANTS, 16);
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
    disjointMix(target, score, baseValues, deltas, values, n) {
      constants.set(values.subarray(0, 14));
      constants[14] = -1;
      for (let s = 0; s < n; s += MIX_WASM_CHUNK) {
        const e = Math.min(n, s + MIX_WASM_CHUNK);
        out.set(score.subarray(s, e));
        base.set(baseValues.subarray(s, e));
        for (let m = 0; m < 4; m++) inputs[m]!.set(deltas[m]!.subarray(s, e));
        mix(e - s);
        target.set(e - s === MIX_WASM_CHUNK ? out : out.subarray(0, e - s), s);
      }
    },
  };
  return kernels;
}
