import { describe, expect, it } from 'vitest';
import { assembleModule, instantiateModule, localGet, sharedMemory, WASM_I32 } from './assemble-module.js';
import { startWasmWorker } from './wasm-worker.js';

// fill(address, count, value): i32.store value at address + 4j for j < count (a loop the worker runs)
const fillBody = [
  0x01,
  0x01,
  WASM_I32, // local 3: j
  0x02,
  0x40,
  0x03,
  0x40,
  ...localGet(3),
  ...localGet(1),
  0x4f, // i32.ge_u
  0x0d,
  0x01,
  ...localGet(0),
  ...localGet(3),
  0x41,
  0x02,
  0x74,
  0x6a,
  ...localGet(2),
  0x36,
  0x02,
  0x00,
  ...localGet(3),
  0x41,
  0x01,
  0x6a,
  0x21,
  0x03,
  0x0c,
  0x00,
  0x0b,
  0x0b,
  0x0b,
];
const spec = {
  types: [{ params: [WASM_I32, WASM_I32, WASM_I32], results: [] }],
  functions: [{ name: 'fill', type: 0, body: fillBody }],
  memoryPages: 2,
  sharedMemoryMaximumPages: 8,
};

describe('startWasmWorker', () => {
  it('runs a function on another thread over the same memory while this thread runs its share', () => {
    const memory = sharedMemory(spec);
    const local = instantiateModule(spec, memory)!.fill as (a: number, n: number, v: number) => void;
    const worker = startWasmWorker(assembleModule(spec), memory, 0, ['fill']);
    try {
      for (const value of [7, 8]) {
        worker.start('fill', [4096, 1000, value]); // words 1024…2023 on the worker
        local(8192, 1000, -value); // words 2048…3047 here
        worker.join();
        const words = new Int32Array(memory.buffer);
        expect(words.subarray(1024, 2024).every((w) => w === value)).toBe(true);
        expect(words.subarray(2048, 3048).every((w) => w === -value)).toBe(true);
        expect(words[2024]).toBe(0);
      }
      // after the memory grows, the worker writes into the new pages
      memory.grow(2); // 4 pages
      worker.start('fill', [3 * 65536, 10, 5]);
      worker.join();
      expect(new Int32Array(memory.buffer, 3 * 65536, 10).every((w) => w === 5)).toBe(true);
    } finally {
      worker.close();
    }
  });

  it('after close, a call is refused by join (the caller then does the work) and the worker is not alive', () => {
    const memory = sharedMemory(spec);
    const worker = startWasmWorker(assembleModule(spec), memory, 0, ['fill']);
    worker.close();
    expect(worker.alive).toBe(false);
    worker.start('fill', [64, 1, 3]);
    expect(() => worker.join()).toThrow(/exited/);
  });

  it('reports a trap in the worker and rejects unknown functions', () => {
    const memory = sharedMemory(spec);
    const worker = startWasmWorker(assembleModule(spec), memory, 0, ['fill']);
    try {
      expect(() => worker.start('nope', [])).toThrow(/not one of its functions/);
      worker.start('fill', [8 * 65536 * 2, 1, 1]); // out of bounds: traps
      expect(() => worker.join()).toThrow(/trapped/);
      worker.start('fill', [64, 1, 3]);
      worker.join();
      expect(new Int32Array(memory.buffer)[16]).toBe(3);
    } finally {
      worker.close();
    }
  });
});
