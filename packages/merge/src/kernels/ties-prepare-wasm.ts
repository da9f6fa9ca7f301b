/**
 * WebAssembly SIMD kernel for TIES's per-model preparation pass: δ = model − base (float32 lanes) and the
 * histogram of the high 16 bits of |δ|'s bit pattern, in one pass, with the histogram in wasm memory.
 * f32x4.sub rounds the exact difference once, like the scalar float64 subtraction stored to float32
 * (double rounding is exact for a difference of two float32), so δ has the same bits. Undefined where
 * WebAssembly SIMD is unavailable (callers keep their plain-JS loop).
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
  WASM_I32,
  type WasmModuleSpec,
  wasmOnce,
} from '@modelsmith/core-tensor';

/** Elements per chunk (32 KiB per array). */
const CHUNK = 8192;
/** Two interleaved histograms (lanes 0, 2 and 1, 3) halve the load-add-store chains on a shared bucket. */
const HIST = 0;
const HIST2 = 65536 * 4;
const MODEL = 2 * 65536 * 4;
const BASE = MODEL + CHUNK * 4;
/** The trim kernel: data in the model chunk, candidate indices in the base chunk, the bucket (u32) here. */
const BUCKET = BASE + CHUNK * 4;

const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const F32X4_SUB = 0xe5;
const I32X4_SHR_U = 0xad;
const V128_AND = 0x4e;
const I32X4_EXTRACT_LANE = 0x1b;

// Locals: 0 n (multiple of 4), 1 p, 2 end, 3 address; 4 v128.
const P = 1;
const END = 2;
const ADDRESS = 3;
const H = 4;

/** hist[address] += 1 at the given histogram offset. */
const increment = (offset: number): number[] => [
  ...localGet(ADDRESS),
  ...localGet(ADDRESS),
  0x28, // i32.load
  0x02,
  ...uleb(offset),
  ...i32Const(1),
  0x6a, // i32.add
  0x36, // i32.store
  0x02,
  ...uleb(offset),
];

const deltaHistogramBody = (): number[] => {
  const step: number[] = [
    // δ = model − base, stored over the model chunk
    ...localGet(P),
    ...localGet(P),
    ...simdOp(V128_LOAD),
    0x04,
    ...uleb(MODEL),
    ...localGet(P),
    ...simdOp(V128_LOAD),
    0x04,
    ...uleb(BASE),
    ...simdOp(F32X4_SUB),
    ...localSet(H),
    ...localGet(H),
    ...simdOp(V128_STORE),
    0x04,
    ...uleb(MODEL),
    // byte address of bucket (bits & 0x7fffffff) >>> 16, i.e. (bits >>> 14) & 0x1fffc
    ...localGet(H),
    ...i32Const(14),
    ...simdOp(I32X4_SHR_U),
    ...i32x4Const(0x1fffc),
    ...simdOp(V128_AND),
    ...localSet(H),
  ];
  for (let lane = 0; lane < 4; lane++) {
    step.push(
      ...localGet(H),
      ...simdOp(I32X4_EXTRACT_LANE),
      lane,
      ...localSet(ADDRESS),
      ...increment(lane % 2 === 0 ? HIST : HIST2),
    );
  }
  return [
    0x02, // local declarations: 2 groups
    0x03,
    WASM_I32,
    0x01,
    0x7b,
    ...localGet(0),
    ...i32Const(2),
    0x74, // n << 2
    ...localSet(END),
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 16)]),
    0x0b,
  ];
};

/**
 * TIES trim of one chunk given the threshold bucket b: x · +(hb ≥ b) with hb = (bits & 0x7fffffff) >>> 16
 * (f32x4.mul by exactly 1 or 0, which is what the scalar x · +(hb > b) does for hb ≠ b: a zeroed negative
 * becomes −0), leaving elements of bucket b untouched and appending their chunk indices (in order) to
 * the candidate list; returns how many.
 */
const trimBody = (): number[] => {
  const COUNT = 3;
  const X = 4;
  const HB = 5;
  const B = 6;
  const ONE = 7;
  const EQ = 8;
  const step: number[] = [
    ...localGet(P),
    ...simdOp(V128_LOAD),
    0x04,
    ...uleb(MODEL),
    ...localSet(X),
    ...localGet(X),
    ...i32x4Const(0x7fffffff),
    ...simdOp(V128_AND),
    ...i32Const(16),
    ...simdOp(I32X4_SHR_U),
    ...localSet(HB),
    ...localGet(P),
    ...localGet(X),
    ...localGet(HB),
    ...localGet(B),
    ...simdOp(0x40), // i32x4.ge_u
    ...localGet(ONE),
    ...simdOp(V128_AND),
    ...simdOp(0xe6), // f32x4.mul
    ...simdOp(V128_STORE),
    0x04,
    ...uleb(MODEL),
    ...localGet(HB),
    ...localGet(B),
    ...simdOp(0x37), // i32x4.eq
    ...localSet(EQ),
    ...localGet(EQ),
    ...simdOp(0x53), // v128.any_true
    0x04, // if
    0x40,
  ];
  for (let lane = 0; lane < 4; lane++) {
    step.push(
      ...localGet(EQ),
      ...simdOp(I32X4_EXTRACT_LANE),
      lane,
      0x04, // if
      0x40,
      ...localGet(COUNT),
      ...i32Const(2),
      0x74, // i32.shl
      ...localGet(P),
      ...i32Const(2),
      0x76, // i32.shr_u
      ...i32Const(lane),
      0x6a,
      0x36, // i32.store
      0x02,
      ...uleb(BASE),
      ...addToLocal(COUNT, 1),
      0x0b,
    );
  }
  step.push(0x0b);
  return [
    0x02,
    0x03,
    WASM_I32,
    0x05,
    0x7b,
    ...localGet(0),
    ...i32Const(2),
    0x74,
    ...localSet(END),
    0x41,
    0x00,
    ...simdOp(0x09), // v128.load32_splat
    0x02,
    ...uleb(BUCKET),
    ...localSet(B),
    ...i32x4Const(0x3f800000), // 1.0f
    ...localSet(ONE),
    ...loopWhileBelow(P, END, [...step, ...addToLocal(P, 16)]),
    ...localGet(COUNT),
    0x0b,
  ];
};

const moduleSpec = (): WasmModuleSpec => ({
  types: [
    { params: [WASM_I32], results: [] },
    { params: [WASM_I32], results: [WASM_I32] },
  ],
  functions: [
    { name: 'dh', type: 0, body: deltaHistogramBody() },
    { name: 'trim', type: 1, body: trimBody() },
  ],
  memoryPages: Math.ceil((BUCKET + 16) / 65536),
});

export interface TiesPrepareKernels {
  /**
   * Writes out[i] = model[i] − base[i] (float32) over the whole arrays and sets `high` (65536 counts) to
   * the histogram of (bits(out[i]) & 0x7fffffff) >>> 16: the same bits and counts as the plain-JS pass.
   */
  deltaHistogram(out: Float32Array, model: Float32Array, base: Float32Array, high: Uint32Array): void;
  /**
   * In place over `values`: elements whose high magnitude bits hb are below `bucket` become
   * value · 0, above it value · 1; those equal to it are left as they are and their indices (ascending)
   * written to `candidates`. Returns how many; the same as the plain-JS trim loop.
   */
  trim(values: Float32Array, bucket: number, candidates: Int32Array): number;
}

/** The SIMD kernels, or undefined without WebAssembly SIMD. */
export const tiesPrepareWasm: () => TiesPrepareKernels | undefined = wasmOnce(moduleSpec, (exports) => {
  const memory = (exports.mem as WebAssembly.Memory).buffer;
  const dh = exports.dh as (n: number) => void;
  const trim = exports.trim as (n: number) => number;
  const hist = new Uint32Array(memory, HIST, 65536);
  const hist2 = new Uint32Array(memory, HIST2, 65536);
  const histBoth = new Uint32Array(memory, HIST, 2 * 65536);
  const modelView = new Float32Array(memory, MODEL, CHUNK);
  const modelBits = new Uint32Array(memory, MODEL, CHUNK);
  const baseView = new Float32Array(memory, BASE, CHUNK);
  const chunkCandidates = new Int32Array(memory, BASE, CHUNK);
  const bucketView = new Uint32Array(memory, BUCKET, 1);
  return {
    deltaHistogram(out, model, base, high) {
      const n = base.length;
      histBoth.fill(0);
      for (let s = 0; s < n; s += CHUNK) {
        const e = Math.min(n, s + CHUNK);
        const count = e - s;
        modelView.set(model.subarray(s, e));
        baseView.set(base.subarray(s, e));
        const lanes = count & ~3;
        dh(lanes);
        // The last < 4 elements: the scalar expression, counted in the first histogram.
        for (let i = lanes; i < count; i++) {
          modelView[i] = modelView[i]! - baseView[i]!;
          hist[(modelBits[i]! & 0x7fffffff) >>> 16]!++;
        }
        out.set(count === CHUNK ? modelView : modelView.subarray(0, count), s);
      }
      for (let b = 0; b < 65536; b++) high[b] = hist[b]! + hist2[b]!;
    },
    trim(values, bucket, candidates) {
      const n = values.length;
      bucketView[0] = bucket;
      let total = 0;
      for (let s = 0; s < n; s += CHUNK) {
        const e = Math.min(n, s + CHUNK);
        const count = e - s;
        modelView.set(values.subarray(s, e));
        const lanes = count & ~3;
        const found = trim(lanes);
        for (let j = 0; j < found; j++) candidates[total++] = s + chunkCandidates[j]!;
        for (let i = lanes; i < count; i++) {
          const hb = (modelBits[i]! & 0x7fffffff) >>> 16;
          if (hb === bucket) candidates[total++] = s + i;
          else modelView[i] = modelView[i]! * +(hb > bucket);
        }
        values.set(count === CHUNK ? modelView : modelView.subarray(0, count), s);
      }
      return total;
    },
  };
});
