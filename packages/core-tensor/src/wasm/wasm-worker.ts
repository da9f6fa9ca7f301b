/**
 * A second thread for a WebAssembly module on a shared memory (`sharedMemoryMaximumPages`): the worker
 * instantiates the same bytes on the same memory and runs one exported function at a time while the
 * calling thread runs another part of the work. Calls are handed over through a small control block
 * in that memory with `Atomics.wait`/`notify` (no messages, no event loop), so the caller stays
 * synchronous: `start`, do your share, `join`.
 */

import { Worker } from 'node:worker_threads';

/**
 * Control block (Int32 words): 0 state, 1 function index, 2–6 arguments. A started call is RUN until
 * the worker claims it (RUN → BUSY, compare-and-exchange), then IDLE or FAILED when it returns; DEAD
 * once the worker thread has exited; EXIT asks it to.
 */
const IDLE = 0;
const RUN = 1;
const EXIT = 2;
const FAILED = 3;
const BUSY = 4;
const DEAD = 5;
export const WASM_WORKER_CONTROL_BYTES = 32;
/** A call not claimed after this long means the thread never started (or died before claiming it). */
const CLAIM_TIMEOUT_MS = 10_000;

// Plain JavaScript run with `eval`, so it needs no module resolution (works under tsx, vitest and dist).
const workerSource = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, names } = workerData;
const words = new Int32Array(memory.buffer, control, 8);
// However the thread ends, the caller learns it instead of waiting.
process.on('exit', () => {
  Atomics.store(words, 0, ${DEAD});
  Atomics.notify(words, 0);
});
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
const functions = names.map((name) => instance.exports[name]);
for (;;) {
  Atomics.wait(words, 0, ${IDLE});
  const state = Atomics.load(words, 0);
  if (state === ${EXIT}) break;
  if (state !== ${RUN} || Atomics.compareExchange(words, 0, ${RUN}, ${BUSY}) !== ${RUN}) continue;
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
  /**
   * Blocks until the started call has returned. Throws if it trapped, if the thread died, or if the
   * call was not claimed within 10 s (then it is withdrawn: the worker will never run it, so the
   * caller may do the work itself).
   */
  join(): void;
  /** Whether the thread can still take calls. */
  readonly alive: boolean;
  /** Ends the thread. */
  close(): void;
}

/**
 * Starts a worker running the module `bytes` on `memory`, with its control block at byte `control`
 * (WASM_WORKER_CONTROL_BYTES, 4-aligned, never written by the module). Only functions in `names`
 * can be started. The thread does not keep the process alive; its errors are caught (the worker is then
 * no longer `alive`) rather than ending the process.
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
  let alive = true;
  const die = () => {
    alive = false;
  };
  worker.on('error', die);
  worker.on('exit', die);
  let running = false;
  /** A call started after the thread ended: never handed over, refused by `join`. */
  let refused = false;
  const isAlive = () => alive && Atomics.load(words, 0) !== DEAD && Atomics.load(words, 0) !== EXIT;
  return {
    get alive() {
      return isAlive();
    },
    start(name, args) {
      if (running) throw new Error('wasm worker: join() the running call first');
      const index = names.indexOf(name);
      if (index < 0) throw new Error(`wasm worker: '${name}' is not one of its functions`);
      running = true;
      refused = !isAlive();
      if (refused) return;
      words[1] = index;
      for (let i = 0; i < 5; i++) words[2 + i] = args[i] ?? 0;
      Atomics.store(words, 0, RUN);
      Atomics.notify(words, 0);
    },
    join() {
      if (!running) return;
      running = false;
      if (refused) throw new Error('wasm worker: the worker thread has exited');
      const started = performance.now();
      for (;;) {
        const state = Atomics.load(words, 0);
        if (state === IDLE) return;
        if (state === FAILED) {
          Atomics.compareExchange(words, 0, FAILED, IDLE);
          throw new Error('wasm worker: the call trapped');
        }
        if (state === DEAD || state === EXIT) {
          alive = false;
          throw new Error('wasm worker: the worker thread has exited');
        }
        if (state === RUN && performance.now() - started > CLAIM_TIMEOUT_MS) {
          // Withdraw the call unless the worker claimed it at this very moment.
          if (Atomics.compareExchange(words, 0, RUN, IDLE) === RUN) {
            alive = false;
            throw new Error('wasm worker: the worker thread did not take the call');
          }
          continue;
        }
        Atomics.wait(words, 0, state, 250);
      }
    },
    close() {
      alive = false;
      if (Atomics.load(words, 0) !== DEAD) {
        Atomics.store(words, 0, EXIT);
        Atomics.notify(words, 0);
      }
    },
  };
}
