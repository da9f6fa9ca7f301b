import type * as tfjs from '@tensorflow/tfjs';
import { z } from 'zod';
import { parseOptions } from '../errors/invalid-options-error.js';
import { createErrorFactory } from '../errors/modelsmith-error.js';

/** The TensorFlow.js namespace (`import * as tf from '@tensorflow/tfjs'`). */
export type Tf = typeof tfjs;

export const BACKEND_NAMES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
type ConcreteBackend = Exclude<BackendName, 'auto'>;

export interface RuntimeCandidateReport {
  readonly backend: string;
  readonly chosen: boolean;
  readonly reason: string;
}

export interface Runtime {
  /** The tfjs namespace whose active backend was set. */
  readonly tf: Tf;
  /** The chosen candidate: 'node-gpu' | 'node' | 'wasm' | 'cpu' (`tf.getBackend()` gives tfjs's own name). */
  readonly backend: string;
  /** Every candidate considered, in order, with why it was or was not chosen. */
  readonly report: readonly RuntimeCandidateReport[];
}

export interface RuntimeOptions {
  /** Which backend to use; `auto` (default) tries node-gpu, node, wasm, cpu in that order. */
  readonly backend?: BackendName;
  /** A tfjs namespace to use instead of importing `@tensorflow/tfjs` (backends register into it). */
  readonly lib?: Tf;
}

const runtimeOptionsSchema = z.object({
  backend: z.enum(BACKEND_NAMES).optional(),
  lib: z
    .custom<Tf>(
      (value) =>
        typeof value === 'object' && value !== null && typeof (value as Tf).setBackend === 'function',
      {
        message: 'lib must be the @tensorflow/tfjs namespace (import * as tf from "@tensorflow/tfjs")',
      },
    )
    .optional(),
});

const fail = createErrorFactory('core-tensor');

const AUTO_ORDER: readonly ConcreteBackend[] = ['node-gpu', 'node', 'wasm', 'cpu'];
const PACKAGE_OF: Readonly<Record<ConcreteBackend, string>> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/** Outcome of trying one candidate: the namespace to use, or why it cannot be used. */
type Attempt = { ok: true; tf: Tf; reason: string } | { ok: false; reason: string };

// A computed specifier keeps bundlers and tsc from resolving optional peers at build time.
function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Quoted, so a missing dependency of the package ('@tensorflow/tfjs-core') does not count.
  if (!message.includes(`'${specifier}'`) && !message.includes(`"${specifier}"`)) return false;
  // Node sets a code; bundlers and vite-node only say so in the message.
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (module|package)|could not resolve|failed to resolve/i.test(message)
  );
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

function unwrapNamespace(module: unknown): Tf {
  const namespace = module as Tf & { default?: Tf };
  return typeof namespace.setBackend === 'function' ? namespace : (namespace.default as Tf);
}

async function loadTfjs(lib: Tf | undefined): Promise<Tf> {
  if (lib) return lib;
  try {
    return unwrapNamespace(await importOptional('@tensorflow/tfjs'));
  } catch (error) {
    if (isModuleNotFound(error, '@tensorflow/tfjs')) {
      throw fail(
        'E_BACKEND_UNAVAILABLE',
        'createRuntime: @tensorflow/tfjs is not installed; install it with `pnpm add @tensorflow/tfjs`',
        error,
      );
    }
    throw fail(
      'E_BACKEND_UNAVAILABLE',
      `createRuntime: @tensorflow/tfjs failed to load: ${describeError(error)}`,
      error,
    );
  }
}

async function activate(tf: Tf, tfjsName: string): Promise<boolean> {
  if (!tf.findBackendFactory(tfjsName)) return false;
  const ok = await tf.setBackend(tfjsName);
  if (ok) await tf.ready();
  return ok && tf.getBackend() === tfjsName;
}

async function tryNode(candidate: 'node' | 'node-gpu', lib: Tf | undefined): Promise<Attempt> {
  const specifier = PACKAGE_OF[candidate];
  let module: unknown;
  try {
    module = await importOptional(specifier);
  } catch (error) {
    if (isModuleNotFound(error, specifier)) {
      return { ok: false, reason: `${specifier} is not installed (pnpm add ${specifier})` };
    }
    return { ok: false, reason: `${specifier} failed to load: ${describeError(error)}` };
  }
  // tfjs-node re-exports the whole tfjs namespace with its 'tensorflow' backend registered.
  const tf = lib ?? unwrapNamespace(module);
  if (await activate(tf, 'tensorflow'))
    return { ok: true, tf, reason: `${specifier} loaded (tfjs backend 'tensorflow')` };
  return {
    ok: false,
    reason: `${specifier} loaded but its 'tensorflow' backend is not registered in the tfjs instance in use (the versions of ${specifier} and @tensorflow/tfjs must match)`,
  };
}

/** Directory holding the backend's .wasm binaries, as a path prefix ending in '/' (Node only). */
async function wasmDirectory(): Promise<string | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname, join, sep } = await import('node:path');
  const { existsSync } = await import('node:fs');
  const main = createRequire(import.meta.url).resolve(PACKAGE_OF.wasm);
  // `main` is dist/tf-backend-wasm.node.js; the binaries sit beside it.
  const directory = dirname(main);
  if (!existsSync(join(directory, 'tfjs-backend-wasm.wasm'))) {
    throw new Error(`tfjs-backend-wasm.wasm not found in ${directory}`);
  }
  return directory.endsWith(sep) ? directory : `${directory}${sep}`;
}

async function tryWasm(lib: Tf | undefined): Promise<Attempt> {
  const specifier = PACKAGE_OF.wasm;
  let module: { setWasmPaths?: (prefix: string) => void; getThreadsCount?: () => number };
  try {
    module = (await importOptional(specifier)) as typeof module;
  } catch (error) {
    if (isModuleNotFound(error, specifier)) {
      return { ok: false, reason: `${specifier} is not installed (pnpm add ${specifier})` };
    }
    return { ok: false, reason: `${specifier} failed to load: ${describeError(error)}` };
  }
  const tf = await loadTfjs(lib);
  try {
    // setWasmPaths may only run before the backend is first initialised.
    const initialised = tf.engine().registry.wasm !== undefined;
    const directory = await wasmDirectory();
    if (directory && !initialised) module.setWasmPaths?.(directory);
    if (await activate(tf, 'wasm')) {
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
      const threads = module.getThreadsCount?.() ?? 1;
      const from = directory ? ` from ${directory}` : '';
      return {
        ok: true,
        tf,
        reason: `${specifier} initialised${from} (${simd}, ${threads} thread${threads === 1 ? '' : 's'})`,
      };
    }
    return {
      ok: false,
      reason: `${specifier} loaded but did not register 'wasm' in the tfjs instance in use (its @tensorflow/tfjs-core must be the one @tensorflow/tfjs uses)`,
    };
  } catch (error) {
    return { ok: false, reason: `${specifier} failed to initialise: ${describeError(error)}` };
  }
}

async function tryCpu(lib: Tf | undefined): Promise<Attempt> {
  const tf = await loadTfjs(lib);
  try {
    if (await activate(tf, 'cpu'))
      return { ok: true, tf, reason: 'the pure-JavaScript cpu backend of @tensorflow/tfjs' };
    return { ok: false, reason: "the tfjs instance in use has no 'cpu' backend registered" };
  } catch (error) {
    return { ok: false, reason: `cpu backend failed to initialise: ${describeError(error)}` };
  }
}

function attempt(candidate: ConcreteBackend, lib: Tf | undefined): Promise<Attempt> {
  switch (candidate) {
    case 'node-gpu':
    case 'node':
      return tryNode(candidate, lib);
    case 'wasm':
      return tryWasm(lib);
    case 'cpu':
      return tryCpu(lib);
  }
}

/**
 * Loads TensorFlow.js and activates a backend, reporting why each candidate was or was not
 * chosen. Nothing is imported or registered until this is called. The tfjs backend is global to
 * the tfjs instance: a later `createRuntime` on the same instance switches it for everyone.
 *
 * An explicit backend that cannot be used is an `E_BACKEND_UNAVAILABLE` error naming the package
 * to install; `auto` falls through node-gpu → node → wasm → cpu.
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const { backend = 'auto', lib } = parseOptions(
    'core-tensor',
    'runtime options',
    runtimeOptionsSchema,
    options,
  );
  const candidates = backend === 'auto' ? AUTO_ORDER : [backend];
  const report: RuntimeCandidateReport[] = [];
  for (const candidate of candidates) {
    const result = await attempt(candidate, lib);
    if (result.ok) {
      report.push({ backend: candidate, chosen: true, reason: result.reason });
      const remaining = candidates.slice(candidates.indexOf(candidate) + 1);
      for (const skipped of remaining) {
        report.push({
          backend: skipped,
          chosen: false,
          reason: `not tried: ${candidate} comes first and works`,
        });
      }
      return { tf: result.tf, backend: candidate, report };
    }
    report.push({ backend: candidate, chosen: false, reason: result.reason });
  }
  const detail = report.map((entry) => `${entry.backend}: ${entry.reason}`).join('; ');
  if (backend === 'auto')
    throw fail('E_BACKEND_UNAVAILABLE', `createRuntime: no tfjs backend could be used (${detail})`);
  throw fail(
    'E_BACKEND_UNAVAILABLE',
    `createRuntime: backend '${backend}' is unavailable (${detail}); install it with \`pnpm add ${PACKAGE_OF[backend]}\` or use backend: 'auto'`,
  );
}
