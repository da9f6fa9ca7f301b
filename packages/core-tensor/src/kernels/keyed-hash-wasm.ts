/**
 * WebAssembly SIMD kernel for `KeyedRandom.fillUint32`: the four keyed murmur3-finaliser rounds of
 * `KeyedRandom.uint32` on 4 counters per step (i32x4 multiplies are Math.imul lane by lane, adds wrap
 * like `>>> 0`), so the draws are bit-identical to the scalar method. Assembled from its bytes like the
 * BF16 codec; undefined where WebAssembly SIMD is unavailable (callers then use the scalar method).
 */

/** Draws per chunk (64 KiB of output in the module's 2-page memory). */
export const KEYED_HASH_WASM_CHUNK = 16384;
const KEYS = 0; // k0..k3 as i32 at 0, 4, 8, 12
const OUT = 64;

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
/** Signed LEB128 for i32.const. */
const sleb = (value: number): number[] => {
  const out: number[] = [];
  let n = value | 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const simd = (opcode: number): number[] => [0xfd, ...leb(opcode)];
const get = (index: number): number[] => [0x20, index];
const set = (index: number): number[] => [0x21, index];
const i32 = (value: number): number[] => [0x41, ...sleb(value)];
const splat = (value: number): number[] => [...i32(value), ...simd(0x11)]; // i32x4.splat
const key = (k: number): number[] => [...i32(0), ...simd(0x09), 0x02, ...leb(KEYS + 4 * k)]; // v128.load32_splat
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
  ...get(H),
  ...get(H),
  ...i32(bits),
  ...simd(SHR_U),
  ...simd(XOR),
  ...set(H),
];
const mulBy = (c: number): number[] => [...get(H), ...splat(c), ...simd(MUL), ...set(H)];
const fmix = [...xorShift(16), ...mulBy(0x85ebca6b), ...xorShift(13), ...mulBy(0xc2b2ae35), ...xorShift(16)];

const body = [
  0x02,
  0x02,
  0x7f, // p, end
  0x03,
  0x7b, // low, h, high
  ...get(0),
  ...i32(2),
  0x74, // n << 2
  ...set(END),
  // low lanes = low + [0, 1, 2, 3]
  ...get(1),
  ...simd(0x11),
  ...simd(0x0c),
  ...[0, 1, 2, 3].flatMap((v) => [v, 0, 0, 0]),
  ...simd(ADD),
  ...set(LOW),
  ...get(2),
  ...simd(0x11),
  ...set(HIGH),
  0x02,
  0x40,
  0x03,
  0x40,
  ...get(P),
  ...get(END),
  0x4f, // i32.ge_u
  0x0d,
  0x01,
  // x = fmix(low ^ k0)
  ...get(LOW),
  ...key(0),
  ...simd(XOR),
  ...set(H),
  ...fmix,
  // x = fmix(x + k1 + high)
  ...get(H),
  ...key(1),
  ...simd(ADD),
  ...get(HIGH),
  ...simd(ADD),
  ...set(H),
  ...fmix,
  // x = fmix((x ^ k2) + imul(low, 0x9e3779b9))
  ...get(H),
  ...key(2),
  ...simd(XOR),
  ...get(LOW),
  ...splat(0x9e3779b9),
  ...simd(MUL),
  ...simd(ADD),
  ...set(H),
  ...fmix,
  // fmix(x ^ k3)
  ...get(H),
  ...key(3),
  ...simd(XOR),
  ...set(H),
  ...fmix,
  ...get(P),
  ...get(H),
  ...simd(0x0b), // v128.store
  0x04,
  ...leb(OUT),
  ...get(LOW),
  ...splat(4),
  ...simd(ADD),
  ...set(LOW),
  ...get(P),
  ...i32(16),
  0x6a,
  ...set(P),
  0x0c,
  0x00,
  0x0b,
  0x0b,
  0x0b,
];

const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]), // (i32, i32, i32) -> ()
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x02]), // 2 pages
    ...section(7, [0x02, ...name('mem'), 0x02, 0x00, ...name('hash'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

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

let kernel: KeyedHashKernel | null | undefined;

/** The SIMD kernel, or undefined when this runtime has no WebAssembly SIMD. */
export function keyedHashWasmKernel(): KeyedHashKernel | undefined {
  if (kernel !== undefined) return kernel ?? undefined;
  kernel = null;
  const bytes = moduleBytes();
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return undefined;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = (exports.mem as WebAssembly.Memory).buffer;
  const hash = exports.hash as (n: number, low: number, high: number) => void;
  const keyView = new Uint32Array(memory, KEYS, 4);
  const outView = new Uint32Array(memory, OUT, KEYED_HASH_WASM_CHUNK);
  kernel = (out, keys, low, high) => {
    keyView.set(keys);
    const n = out.length;
    for (let s = 0; s < n; s += KEYED_HASH_WASM_CHUNK) {
      const count = Math.min(KEYED_HASH_WASM_CHUNK, n - s);
      // Whole 4-lane steps; the chunk region has room for the up to 3 extra lanes.
      hash(count, low + s, high);
      out.set(count === KEYED_HASH_WASM_CHUNK ? outView : outView.subarray(0, count), s);
    }
  };
  return kernel;
}
