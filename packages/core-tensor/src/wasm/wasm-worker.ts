/**
 * A second thread for a WebAssembly module on a shared memory (`sharedMemoryMaximumPages`): the worker
 * instantiates the same bytes on the same memory and runs one exported function at a time while the
 * calling thread runs another part of the work. Calls are handed over through a small control block
 * in that memory with `Atomics.wait`/`notify` (no messages, no event loop), so the caller stays
 * synchronous: `start`, do your share, `join`.
 */

import { Worker } from 'node:worker_threads';

/** Control block (Int32 words): 0 state, 1 function index, 2–6 arguments, 7 set to 1 once the worker runs. */
const IDLE = 0;
const RUN = 1;
const EXIT = 2;
const FAILED = 3;
export const WASM_WORKER_CONTROL_BYTES = 32;
const START_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 600_000;

// Plain JavaScript run with `eval`, so it needs no module resolution (works under tsx, vitest and dist).
const workerSource = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, names } = workerData;
const words = new Int32Array(memory.buffer, control, 8);
let functions;
try {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
  functions = names.map((name) => instance.exports[name]);
} catch {
  functions = names.map(() => () => { throw new Error('no instance'); });
}
Atomics.store(words, 7, 1);
for (;;) {
  Atomics.wait(words, 0, ${IDLE});
  const state = Atomics.load(words, 0);
  if (state === ${EXIT}) break;
  if (state !== ${RUN}) continue;
  let next = ${IDLE};
  try {
    functions[words[1]](words[2], words[3], words[4], words[5], words[6]);
  } catch {
    next = ${FAILED};
  }
  Atomics.store(words, 0, next);
  Atomics.notify(words, 0);
}
`;

export interface WasmWorker {
  /** Starts `exports[name](...args)` (at most 5 i32 arguments) on the worker thread. */
  start(name: string, args: readonly number[]): void;
  /** Blocks until the started call has returned; throws if it trapped. */
  join(): void;
  /** Ends the thread. */
  close(): void;
}

/**
 * Starts a worker running the module `bytes` on `memory`, with its control block at byte `control`
 * (WASM_WORKER_CONTROL_BYTES, 4-aligned, never written by the module). Only functions in `names`
 * can be started. The thread does not keep the process alive. `join` throws if the call trapped, if
 * the thread has not started after 10 s, or after 10 minutes without an answer; callers can then do
 * the work themselves.
 */
export function startWasmWorker(
  bytes: Uint8Array,
  memory: WebAssembly.Memory,
  control: number,
  names: readonly string[],
): WasmWorker {
  const worker = new Worker(workerSource, { eval: true, workerData: { bytes, memory, control, names } });
  worker.unref();
  const words = new Int32Array(memory.buffer, control, 8);
  let running = false;
  return {
    start(name, args) {
      if (running) throw new Error('wasm worker: join() the running call first');
      const index = names.indexOf(name);
      if (index < 0) throw new Error(`wasm worker: '${name}' is not one of its functions`);
      words[1] = index;
      for (let i = 0; i < 5; i++) words[2 + i] = args[i] ?? 0;
      running = true;
      Atomics.store(words, 0, RUN);
      Atomics.notify(words, 0);
    },
    join() {
      if (!running) return;
      const started = Date.now();
      while (Atomics.load(words, 0) === RUN) {
        // A thread that never started (or died) would leave the state at RUN: give up rather than hang.
        const waited = Date.now() - started;
        if (Atomics.load(words, 7) !== 1 && waited > START_TIMEOUT_MS)
          throw new Error('wasm worker: the worker thread did not start');
        if (waited > JOIN_TIMEOUT_MS) throw new Error('wasm worker: no answer from the worker thread');
        Atomics.wait(words, 0, RUN, 250);
      }
      running = false;
      if (Atomics.load(words, 0) === FAILED) {
        Atomics.store(words, 0, IDLE);
        throw new Error('wasm worker: the call trapped');
      }
    },
    close() {
      Atomics.store(words, 0, EXIT);
      Atomics.notify(words, 0);
    },
  };
}
