/**
 * Counter-based randomness keyed by `(seed, ...keys)`.
 *
 * Draw `i` of a stream depends only on the key and `i`, never on what was drawn
 * before, so a merge that processes tensors in any order (or in parallel, or in
 * row chunks) gets the same bits for the same `(seed, tensorName, modelIndex)`.
 * The mixing function is murmur3's 32-bit finaliser applied in four keyed rounds,
 * which passes the avalanche criterion and is more than enough for masks and
 * resampling; it is not a cryptographic generator.
 */

import { keyedHashWasmKernel } from '../kernels/keyed-hash-wasm.js';

export type RandomKey = string | number;

/** Below this many draws the scalar loop wins (no kernel call or chunk copy). */
const BULK_SIMD_MIN = 256;

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(text: string, state: number): number {
  let h = state >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return fmix32(h ^ text.length);
}

function hashKey(key: RandomKey, state: number): number {
  if (typeof key === 'string') return hashString(`s:${key}`, state);
  if (!Number.isFinite(key)) throw new RangeError(`random key must be finite, got ${key}`);
  // Numbers hash through their shortest decimal form so 1 and 1.0 agree.
  return hashString(`n:${key}`, state);
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53_INV = 1 / 9007199254740992;

export class KeyedRandom {
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;

  constructor(seed: number, ...keys: RandomKey[]) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    let h = hashKey(seed, 0x9747b28c);
    for (const key of keys) h = hashKey(key, h);
    this.k0 = h;
    this.k1 = fmix32(h ^ 0x68e31da4);
    this.k2 = fmix32(this.k1 ^ 0xb5297a4d);
    this.k3 = fmix32(this.k2 ^ 0x1b56c4e9);
  }

  /**
   * The four 32-bit keys of this stream: with `keyedHashLanes` a WebAssembly kernel computes the
   * same draws as `uint32` inline.
   */
  streamKeys(): [number, number, number, number] {
    return [this.k0, this.k1, this.k2, this.k3];
  }

  /** A child generator whose stream is independent of this one's. */
  derive(...keys: RandomKey[]): KeyedRandom {
    return new KeyedRandom(this.k0 & 0x1fffff, `${this.k1}.${this.k2}.${this.k3}`, ...keys);
  }

  /** The `index`-th 32-bit unsigned draw (index: a non-negative safe integer). */
  uint32(index: number): number {
    const low = index >>> 0;
    const high = Math.floor(index / TWO_POW_32) >>> 0;
    let x = fmix32(low ^ this.k0);
    x = fmix32((x + this.k1 + high) >>> 0);
    x = fmix32((x ^ this.k2) + Math.imul(low, 0x9e3779b9));
    return fmix32(x ^ this.k3);
  }

  /**
   * Fills `out[j]` with `uint32(start + j)` (same bits), four draws per SIMD step where WebAssembly
   * SIMD is available; `start + out.length` must stay a safe integer.
   */
  fillUint32(out: Uint32Array, start = 0): Uint32Array {
    const n = out.length;
    if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(start + n)) {
      throw new RangeError(`fillUint32: start must be a non-negative safe integer, got ${start}`);
    }
    const simd = n >= BULK_SIMD_MIN ? keyedHashWasmKernel() : undefined;
    if (!simd) {
      for (let j = 0; j < n; j++) out[j] = this.uint32(start + j);
      return out;
    }
    const keys = [this.k0, this.k1, this.k2, this.k3] as const;
    // Split where the counter's high 32-bit word changes: the kernel keeps it constant.
    for (let j = 0; j < n; ) {
      const index = start + j;
      const high = Math.floor(index / TWO_POW_32);
      const low = index - high * TWO_POW_32;
      const count = Math.min(n - j, TWO_POW_32 - low);
      simd(out.subarray(j, j + count), keys, low, high);
      j += count;
    }
    return out;
  }

  /** The `index`-th uniform draw in [0, 1) with 53 random bits. */
  uniform(index: number): number {
    const a = this.uint32(2 * index) >>> 5; // 27 bits
    const b = this.uint32(2 * index + 1) >>> 6; // 26 bits
    return (a * 67108864 + b) * TWO_POW_53_INV;
  }

  /**
   * The `index`-th standard normal draw: Box-Muller on draws 2·index and 2·index+1 of a separate
   * sub-stream, so normals never reuse the uniforms of `uniform(i)` on the same key (a stream
   * that mixes both, like a rejection sampler, would otherwise see correlated draws).
   */
  normal(index: number): number {
    this.normalSource ??= this.derive('normal');
    const u1 = 1 - this.normalSource.uniform(2 * index); // (0, 1]
    const u2 = this.normalSource.uniform(2 * index + 1);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  private normalSource: KeyedRandom | undefined;

  /** True with probability `p` for draw `index`. */
  bernoulli(index: number, p: number): boolean {
    return this.uniform(index) < p;
  }

  /** Fills `out[j]` with draw `start + j`. */
  fillUniform(out: Float64Array | Float32Array, start = 0): void {
    for (let j = 0; j < out.length; j++) out[j] = this.uniform(start + j);
  }

  fillNormal(out: Float64Array | Float32Array, start = 0): void {
    for (let j = 0; j < out.length; j++) out[j] = this.normal(start + j);
  }

  /** `out[j] = 1` with probability `p` (draw `start + j`), else 0. */
  fillBernoulli(out: Uint8Array, p: number, start = 0): void {
    for (let j = 0; j < out.length; j++) out[j] = this.uniform(start + j) < p ? 1 : 0;
  }

  /** A uniform integer in [0, n) from draw `index`, without modulo bias. */
  integer(index: number, n: number): number {
    return Math.floor(this.uniform(index) * n);
  }

  /**
   * A uniformly random permutation of 0..n−1 (Fisher–Yates from the end: position i swaps with
   * `integer(i, i + 1)`), so a shuffle keyed by `(seed, ...keys)` is the same on every machine.
   */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i, i + 1);
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    return order;
  }

  /** A sequential view for algorithms that consume draws one after another. */
  stream(start = 0): RandomStream {
    return new RandomStream(this, start);
  }
}

/** Sequential draws from a `KeyedRandom`; still a pure function of key and position. */
export class RandomStream {
  private position: number;
  constructor(
    private readonly source: KeyedRandom,
    start: number,
  ) {
    this.position = start;
  }
  uniform(): number {
    return this.source.uniform(this.position++);
  }
  normal(): number {
    return this.source.normal(this.position++);
  }
  integer(n: number): number {
    return this.source.integer(this.position++, n);
  }
  bernoulli(p: number): boolean {
    return this.source.bernoulli(this.position++, p);
  }
}

/** Creates the generator for `(seed, ...keys)`. */
export function createRandom(seed: number, ...keys: RandomKey[]): KeyedRandom {
  return new KeyedRandom(seed, ...keys);
}
