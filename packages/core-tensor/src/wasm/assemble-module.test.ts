import { describe, expect, it } from 'vitest';
import {
  addToLocal,
  assembleModule,
  i32x4Const,
  instantiateModule,
  localGet,
  localSet,
  loopWhileBelow,
  sharedMemory,
  simdOp,
  sleb,
  uleb,
  WASM_I32,
  wasmOnce,
} from './assemble-module.js';

// (i32, i32) -> i32: local.get 0, local.get 1, i32.add, end
const addSpec = () => ({
  types: [{ params: [WASM_I32, WASM_I32], results: [WASM_I32] }],
  functions: [{ name: 'add', type: 0, body: [0x00, ...localGet(0), ...localGet(1), 0x6a, 0x0b] }],
  memoryPages: 1,
});

describe('assembleModule', () => {
  it('builds a hand-assembled add function that returns 2 + 3 = 5', () => {
    const exports = instantiateModule(addSpec());
    expect(exports).toBeDefined();
    const add = exports!.add as (a: number, b: number) => number;
    expect(add(2, 3)).toBe(5);
    expect((exports!.mem as WebAssembly.Memory).buffer.byteLength).toBe(65536);
  });

  it('emits the bytes of the spec by hand', () => {
    // header; type sec; function sec; memory sec; export sec (mem, add); code sec
    expect(Array.from(assembleModule(addSpec()))).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
      0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0d, 0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02,
      0x00, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a,
      0x0b,
    ]);
  });

  it('encodes LEB128 as in the WebAssembly spec examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]); // 64 needs two bytes signed (bit 6 is the sign)
    expect(sleb(-1)).toEqual([0x7f]);
    expect(simdOp(0x86)).toEqual([0xfd, 0x86, 0x01]);
    expect(i32x4Const(0x01020304).slice(2, 6)).toEqual([4, 3, 2, 1]);
  });

  it('instantiates once and reports a module that does not validate as undefined', () => {
    let binds = 0;
    const once = wasmOnce(addSpec, (e) => {
      binds++;
      return e.add as (a: number, b: number) => number;
    });
    expect(once()!(40, 2)).toBe(42);
    expect(once()).toBe(once());
    expect(binds).toBe(1);
    const broken = wasmOnce(
      () => ({ ...addSpec(), functions: [{ name: 'add', type: 0, body: [0x00, 0x6a, 0x0b] }] }),
      () => 1,
    );
    expect(broken()).toBeUndefined();
  });

  it('loopWhileBelow + addToLocal: a loop summing p for p = 0, 3, 6, … < n', () => {
    // (n) -> i32; locals 1 p, 2 sum. Reference: Σ 3j for 3j < n, worked out by formula below.
    const body = [
      0x01,
      0x02,
      WASM_I32,
      ...loopWhileBelow(1, 0, [...localGet(2), ...localGet(1), 0x6a, ...localSet(2), ...addToLocal(1, 3)]),
      ...localGet(2),
      0x0b,
    ];
    const exports = instantiateModule({
      types: [{ params: [WASM_I32], results: [WASM_I32] }],
      functions: [{ name: 'sum', type: 0, body }],
      memoryPages: 0,
    })!;
    const sum = exports.sum as (n: number) => number;
    for (const n of [0, 1, 3, 4, 10, 1000]) {
      const terms = Math.ceil(n / 3); // j = 0 … terms − 1
      expect(sum(n)).toBe((3 * terms * Math.max(0, terms - 1)) / 2);
    }
  });
});

describe('assembleModule with a shared memory', () => {
  it('imports env.mem (shared, with a maximum); two instances see each other’s writes', () => {
    // (i32 address, i32 value) -> (): i32.store
    const spec = {
      types: [{ params: [WASM_I32, WASM_I32], results: [] }],
      functions: [
        { name: 'put', type: 0, body: [0x00, ...localGet(0), ...localGet(1), 0x36, 0x02, 0x00, 0x0b] },
      ],
      memoryPages: 1,
      sharedMemoryMaximumPages: 4,
    };
    const bytes = Array.from(assembleModule(spec));
    // import section: 1 import, "env" "mem", memory, limits flags 3 (maximum, shared), min 1, max 4
    // (after the 8-byte header and the 8-byte type section)
    expect(bytes.slice(16, 31)).toEqual([
      0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x03, 0x01, 0x04,
    ]);
    const memory = sharedMemory(spec);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const first = instantiateModule(spec, memory)!;
    const second = instantiateModule(spec, memory)!;
    (first.put as (a: number, v: number) => void)(8, 12345);
    expect(new Int32Array((second.mem as WebAssembly.Memory).buffer)[2]).toBe(12345);
    memory.grow(3);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });
});
