/**
 * Builds a WebAssembly module from its sections (type, import, function, memory, export, code) and
 * instantiates it once. The SIMD kernels of the BF16 codec, the keyed hash and merge's mix loops are
 * assembled from bytes with this (no build step, no binary file); each supplies only its function
 * bodies. Also the few instruction encoders they share.
 */

/** Value types. */
export const WASM_I32 = 0x7f;
export const WASM_F64 = 0x7c;
export const WASM_V128 = 0x7b;

/** Unsigned LEB128 (sizes, indices, memarg offsets, SIMD opcodes). */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let n = value >>> 0;
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (the immediate of i32.const). */
export function sleb(value: number): number[] {
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
}

/** A SIMD (0xfd-prefixed) instruction. */
export const simdOp = (opcode: number): number[] => [0xfd, ...uleb(opcode)];
export const localGet = (index: number): number[] => [0x20, ...uleb(index)];
export const localSet = (index: number): number[] => [0x21, ...uleb(index)];
export const i32Const = (value: number): number[] => [0x41, ...sleb(value)];
/** v128.const with the 32-bit `value` in all four lanes. */
export function i32x4Const(value: number): number[] {
  const lanes: number[] = [];
  for (let i = 0; i < 4; i++)
    lanes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  return [...simdOp(0x0c), ...lanes];
}

/** local[index] += value (i32). */
export const addToLocal = (index: number, value: number): number[] => [
  ...localGet(index),
  ...i32Const(value),
  0x6a, // i32.add
  ...localSet(index),
];

/**
 * `block loop (br_if 1 (i32.ge_u local[pointer] local[end])) …body (br 0) end end`: runs `body` while
 * local[pointer] < local[end] (unsigned); `body` advances the pointer.
 */
export const loopWhileBelow = (pointer: number, end: number, body: readonly number[]): number[] => [
  0x02,
  0x40, // block
  0x03,
  0x40, // loop
  ...localGet(pointer),
  ...localGet(end),
  0x4f, // i32.ge_u
  0x0d,
  0x01, // br_if 1: leave the block
  ...body,
  0x0c,
  0x00, // br 0: next iteration
  0x0b,
  0x0b,
];

export interface WasmFunctionType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

export interface WasmFunction {
  /** Export name. */
  readonly name: string;
  /** Index into `types`. */
  readonly type: number;
  /** The code entry without its size: local declarations, instructions, final `end` (0x0b). */
  readonly body: readonly number[];
}

export interface WasmModuleSpec {
  readonly types: readonly WasmFunctionType[];
  readonly functions: readonly WasmFunction[];
  /** Pages (64 KiB) of the one memory, exported as `mem`. */
  readonly memoryPages: number;
  /**
   * Import the memory as `env.mem`, shared and growable to this many pages, instead of defining it:
   * instances on several threads (workers) then run on the same memory.
   */
  readonly sharedMemoryMaximumPages?: number;
}

const section = (id: number, bytes: readonly number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const vector = (items: readonly (readonly number[])[]): number[] => [...uleb(items.length), ...items.flat()];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

/** The module's bytes: `\0asm`, version 1, then the sections in their required order. */
export function assembleModule(spec: WasmModuleSpec): Uint8Array<ArrayBuffer> {
  const shared = spec.sharedMemoryMaximumPages;
  const types = spec.types.map((t) => [
    0x60,
    ...vector(t.params.map((p) => [p])),
    ...vector(t.results.map((r) => [r])),
  ]);
  const exports = [
    [...name('mem'), 0x02, 0x00],
    ...spec.functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...(shared === undefined
      ? []
      : section(
          2,
          vector([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(spec.memoryPages), ...uleb(shared)]]),
        )),
    ...section(3, vector(spec.functions.map((f) => uleb(f.type)))),
    ...(shared === undefined ? section(5, [0x01, 0x00, ...uleb(spec.memoryPages)]) : []),
    ...section(7, vector(exports)),
    ...section(10, vector(spec.functions.map((f) => [...uleb(f.body.length), ...f.body]))),
  ]);
}

/**
 * Compiles and instantiates `spec`; undefined where WebAssembly (or a feature the bytes use, such as
 * SIMD) is unavailable, so callers fall back to their scalar loops.
 */
export function instantiateModule(
  spec: WasmModuleSpec,
  memory?: WebAssembly.Memory,
): WebAssembly.Exports | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  const bytes = assembleModule(spec);
  if (!WebAssembly.validate(bytes)) return undefined;
  const imports =
    spec.sharedMemoryMaximumPages === undefined ? {} : { env: { mem: memory ?? sharedMemory(spec) } };
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

/** A shared memory of the spec's size (`sharedMemoryMaximumPages` must be set). */
export function sharedMemory(spec: WasmModuleSpec): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: spec.memoryPages,
    maximum: spec.sharedMemoryMaximumPages!,
    shared: true,
  });
}

/**
 * Instantiate-once: the first call builds `spec` and passes the exports to `bind`; later calls return
 * the same result (or undefined, when the module could not be instantiated).
 */
export function wasmOnce<T>(
  spec: () => WasmModuleSpec,
  bind: (exports: WebAssembly.Exports) => T,
): () => T | undefined {
  let cached: { value: T | undefined } | undefined;
  return () => {
    if (!cached) {
      const exports = instantiateModule(spec());
      cached = { value: exports === undefined ? undefined : bind(exports) };
    }
    return cached.value;
  };
}
