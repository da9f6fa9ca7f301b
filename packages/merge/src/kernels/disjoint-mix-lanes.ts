/**
 * The instructions of TIES's election and disjoint mix on a pair of float64 lanes, shared by the
 * float32 mix kernel (mix-wasm) and the fused BF16 kernel (task-vector-bf16-wasm): exactly
 * `disjointMixIntoScalar`'s float64 operations in its order (wasm has no fused multiply-add).
 * Constant block (f64): 0–3 election signs eₘ, 4–7 mix weights wₘ, 8–11 contributions cₘ, 12 tie sign,
 * 13 λ, 14 −1, 16–19 election weights.
 */

import { localGet, localSet, simdOp } from '@modelsmith/core-tensor';

const F64X2_EQ = 0x47;
const F64X2_LT = 0x49;
const F64X2_GT = 0x4a;
const F64X2_ADD = 0xf0;
const F64X2_MUL = 0xf2;
const F64X2_DIV = 0xf3;
const F32X4_DEMOTE = 0x5e;
const F64X2_PROMOTE = 0x5f;
const V128_AND = 0x4e;
const BITSELECT = 0x52;

export interface DisjointMixLanes {
  /** Models mixed (≤ 4); padding slots up to 4 repeat x₀ with zero constants. */
  readonly count: number;
  /** f64x2 locals: xₘ, agreement aₘ (one per model), and scratch for the sum, sign and divisor. */
  readonly x: readonly number[];
  readonly agree: readonly number[];
  readonly sum: number;
  readonly sign: number;
  readonly divisor: number;
  /** f64x2 locals holding 0 and 1. */
  readonly zero: number;
  readonly one: number;
  /** A local for 0·x₀, the padding slots' term (needed when count < 4). */
  readonly padding?: number;
  /** Instructions pushing f64 constant `index` splatted. */
  readonly constant: (index: number) => number[];
  /** eₘ = 1 for every model: eₘ·xₘ is xₘ itself. */
  readonly unitSigns?: boolean;
  /** Without normalising the divisor is 1 and mixed / 1 = mixed: the divisor is not computed. */
  readonly normalize?: boolean;
}

/** Sets `padding` to 0·x₀ when there are padding slots (adding it once or three times is the same). */
const paddingTerm = (l: DisjointMixLanes): number[] =>
  l.count < 4 && l.padding !== undefined
    ? [...localGet(l.zero), ...localGet(l.x[0]!), ...simdOp(F64X2_MUL), ...localSet(l.padding)]
    : [];
const addPadding = (l: DisjointMixLanes): number[] =>
  l.count < 4 && l.padding !== undefined ? [...localGet(l.padding), ...simdOp(F64X2_ADD)] : [];

/** sum ← float32-rounded Σ ewₘ·xₘ (constants 16–19), as `weightedSumInto` stores the election score. */
export const electionScoreLanes = (l: DisjointMixLanes): number[] => {
  const code = paddingTerm(l);
  for (let m = 0; m < l.count; m++) {
    code.push(...l.constant(16 + m), ...localGet(l.x[m]!), ...simdOp(F64X2_MUL));
    if (m > 0) code.push(...simdOp(F64X2_ADD));
  }
  code.push(...addPadding(l), ...simdOp(F32X4_DEMOTE), ...simdOp(F64X2_PROMOTE), ...localSet(l.sum));
  return code;
};

/**
 * From the election score in `sum` (and, with padding slots, `padding` as `electionScoreLanes` left it): sign = s > 0 ? 1 : s < 0 ? −1 : tie; aₘ = +(eₘ·xₘ·sign > 0);
 * mixed = (a₀·w₀)·x₀ + …; d = a₀·c₀ + … with d += +(d = 0); leaves base + λ·(mixed / d) (f64x2) on the
 * stack, `base` being the instructions that push the base pair.
 */
export const disjointMixLanes = (l: DisjointMixLanes, base: number[]): number[] => {
  const normalize = l.normalize ?? true;
  const code: number[] = [
    // sign: bitselect(1, bitselect(−1, tie, s < 0), s > 0)
    ...localGet(l.one),
    ...l.constant(14),
    ...l.constant(12),
    ...localGet(l.sum),
    ...localGet(l.zero),
    ...simdOp(F64X2_LT),
    ...simdOp(BITSELECT),
    ...localGet(l.sum),
    ...localGet(l.zero),
    ...simdOp(F64X2_GT),
    ...simdOp(BITSELECT),
    ...localSet(l.sign),
  ];
  for (let m = 0; m < l.count; m++) {
    code.push(
      // (eₘ·xₘ)·sign; with eₘ = 1 the first product is xₘ itself
      ...(l.unitSigns ? localGet(l.x[m]!) : [...l.constant(m), ...localGet(l.x[m]!), ...simdOp(F64X2_MUL)]),
      ...localGet(l.sign),
      ...simdOp(F64X2_MUL),
      ...localGet(l.zero),
      ...simdOp(F64X2_GT),
      ...localGet(l.one),
      ...simdOp(V128_AND),
      ...localSet(l.agree[m]!),
    );
  }
  for (let m = 0; m < l.count; m++) {
    code.push(
      ...localGet(l.agree[m]!),
      ...l.constant(4 + m),
      ...simdOp(F64X2_MUL),
      ...localGet(l.x[m]!),
      ...simdOp(F64X2_MUL),
    );
    if (m > 0) code.push(...simdOp(F64X2_ADD));
  }
  code.push(...addPadding(l), ...localSet(l.sum));
  if (normalize) {
    for (let m = 0; m < l.count; m++) {
      code.push(...localGet(l.agree[m]!), ...l.constant(8 + m), ...simdOp(F64X2_MUL));
      if (m > 0) code.push(...simdOp(F64X2_ADD));
    }
    code.push(
      ...localSet(l.divisor),
      ...localGet(l.divisor),
      ...localGet(l.divisor),
      ...localGet(l.zero),
      ...simdOp(F64X2_EQ),
      ...localGet(l.one),
      ...simdOp(V128_AND),
      ...simdOp(F64X2_ADD),
      ...localSet(l.divisor),
    );
  }
  code.push(
    ...base,
    ...l.constant(13),
    ...localGet(l.sum),
    ...(normalize ? [...localGet(l.divisor), ...simdOp(F64X2_DIV)] : []),
    ...simdOp(F64X2_MUL),
    ...simdOp(F64X2_ADD),
  );
  return code;
};
