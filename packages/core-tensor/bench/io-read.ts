/**
 * Reads every tensor of a >= 1 GB multi-tensor safetensors file, one tensor at a time,
 * and compares with plain sequential `fs` reads of the same file in the same run
 * (16 MiB chunks into one reused buffer). Both are interleaved over several rounds and
 * the best of each is kept; the file is generated once under /tmp (never in the repo)
 * and is read from the page cache in both cases, so this measures CPU and copy
 * overhead, not the disk. Peak RSS is measured in a plain-node child process that only reads.
 *
 * Run: pnpm tsx --conditions=@modelsmith/source bench/io-read.ts
 * (MODELSMITH_BENCH_FILE=/path/to/file.safetensors to use another file)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpointWriter, createTensor, openCheckpoint, type TensorSpec } from '../src/index.js';

const file = process.env.MODELSMITH_BENCH_FILE ?? '/tmp/modelsmith-bench/io-1g/model.safetensors';
const rounds = 5;
const MiB = 1024 * 1024;

/** A Llama-shaped BF16 file: one 256 MiB embedding, 24 × 32 MiB projections, 24 small F32 norms. */
function specs(): TensorSpec[] {
  const out: TensorSpec[] = [{ name: 'embed_tokens.weight', dtype: 'BF16', shape: [32768, 4096] }];
  for (let layer = 0; layer < 24; layer++) {
    out.push({ name: `layers.${layer}.proj.weight`, dtype: 'BF16', shape: [4096, 4096] });
    out.push({ name: `layers.${layer}.norm.weight`, dtype: 'F32', shape: [4096] });
  }
  return out;
}

async function generate(): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const writer = await createCheckpointWriter({
    directory: dirname(file),
    specs: specs(),
    maxShardBytes: 2 ** 40,
    force: true,
  });
  try {
    for (const spec of specs()) {
      const rowLength = spec.shape.slice(1).reduce((a, b) => a * b, 1);
      const rowsPerChunk = Math.max(1, Math.floor((8 * MiB) / (rowLength * 2)));
      const rows = spec.shape[0]!;
      for (let start = 0; start < rows; start += rowsPerChunk) {
        const count = Math.min(rowsPerChunk, rows - start);
        const chunk = createTensor(spec.dtype, [count, ...spec.shape.slice(1)]);
        const bytes = new Uint8Array(chunk.data.buffer);
        for (let i = 0; i < bytes.length; i += 2) bytes[i + 1] = 0x3c + ((start + i) & 7); // small finite values
        await writer.writeRows(spec.name, start, chunk);
      }
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

// Allocated once and touched, like a caller that keeps its buffers across reads.
const plainBuffer = new Uint8Array(16 * MiB).fill(1);

async function plainRead(): Promise<number> {
  const handle = await open(file, 'r');
  const buffer = plainBuffer;
  let total = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return total;
}

let reusable = new Uint8Array(0);

/** Every tensor, one at a time: `read` allocates a fresh buffer per tensor, `readInto` reuses one. */
async function readTensors(mode: 'read' | 'readInto'): Promise<{ bytes: number; largest: number }> {
  const checkpoint = await openCheckpoint(file);
  let bytes = 0;
  let largest = 0;
  try {
    const needed = Math.max(...checkpoint.tensors.map((t) => t.byteLength));
    if (mode === 'readInto' && reusable.byteLength < needed) reusable = new Uint8Array(needed).fill(1);
    for (const info of checkpoint.tensors) {
      const tensor =
        mode === 'read' ? await checkpoint.read(info.name) : await checkpoint.readInto(info.name, reusable);
      bytes += tensor.data.byteLength;
      largest = Math.max(largest, tensor.data.byteLength);
    }
  } finally {
    await checkpoint.close();
  }
  return { bytes, largest };
}

/**
 * Peak RSS of a fresh plain-`node` process that opens the file and reads every tensor.
 * The package is compiled to JavaScript under /tmp first, so the figure does not include
 * the ~60 MiB of the tsx/esbuild loader that runs this script.
 */
const build = join(tmpdir(), 'modelsmith-bench', 'build');
let built = false;

function peakRss(mode: 'read' | 'readInto'): { before: number; peak: number; largest: number } {
  if (!built) {
    // Compiled afresh once per run, so the child never measures stale code.
    rmSync(build, { recursive: true, force: true });
    built = true;
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const packageRoot = fileURLToPath(new URL('..', import.meta.url));
    const compiled = spawnSync(
      process.execPath,
      [
        tsc,
        '-p',
        join(packageRoot, 'tsconfig.build.json'),
        '--outDir',
        build,
        '--declaration',
        'false',
        '--declarationMap',
        'false',
        '--sourceMap',
        'false',
      ],
      { encoding: 'utf8' },
    );
    if (compiled.status !== 0) throw new Error(`tsc failed: ${compiled.stdout}${compiled.stderr}`);
    writeFileSync(join(build, 'package.json'), '{"type":"module"}');
    symlinkSync(join(packageRoot, 'node_modules'), join(build, 'node_modules'));
  }
  const child = join(build, 'rss-child.mjs');
  writeFileSync(
    child,
    `const before = process.memoryUsage().rss;
const { openCheckpoint } = await import('./index.js');
const checkpoint = await openCheckpoint(process.argv[2]);
const sizes = checkpoint.tensors.map((t) => t.byteLength);
const reusable = process.argv[3] === 'readInto' ? new Uint8Array(Math.max(...sizes)) : undefined;
for (const info of checkpoint.tensors) {
  if (reusable) await checkpoint.readInto(info.name, reusable);
  else await checkpoint.read(info.name);
}
await checkpoint.close();
process.stdout.write(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024, largest: Math.max(...sizes) }));
`,
  );
  const result = spawnSync(process.execPath, [child, file, mode], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`rss child failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

if (!existsSync(file)) {
  process.stdout.write(`generating ${file} ...\n`);
  await generate();
}
const size = statSync(file).size;
type Mode = 'plain' | 'read' | 'readInto';
const wall: Record<Mode, number> = { plain: Infinity, read: Infinity, readInto: Infinity };
const cpu: Record<Mode, number> = { plain: Infinity, read: Infinity, readInto: Infinity };
let tensorBytes = 0;

/** Times one pass: wall clock, and process CPU time (user + system, all threads: the copies from the page cache run in libuv's pool). */
async function measure(mode: Mode, pass: () => Promise<unknown>): Promise<void> {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  await pass();
  wall[mode] = Math.min(wall[mode], (performance.now() - start) / 1000);
  const used = process.cpuUsage(startCpu);
  cpu[mode] = Math.min(cpu[mode], (used.user + used.system) / 1e6);
}

await plainRead(); // warm the page cache
for (let round = 0; round < rounds; round++) {
  await measure('plain', plainRead);
  for (const mode of ['read', 'readInto'] as const) {
    await measure(mode, async () => {
      tensorBytes = (await readTensors(mode)).bytes;
    });
  }
}
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const gbps = (bytes: number, seconds: number) => (bytes / seconds / 1e9).toFixed(2);
const ratio = (clock: Record<Mode, number>, mode: Mode) =>
  (tensorBytes / clock[mode] / (size / clock.plain)).toFixed(2);
const lines = [
  `file ${file}: ${(size / 1e9).toFixed(3)} GB, ${(tensorBytes / 1e9).toFixed(3)} GB of tensor data (${process.version}, ${process.arch}, best of ${rounds} interleaved rounds, page cache warm)`,
  '| reader | GB/s wall | ratio (wall) | GB/s CPU time | ratio (CPU time) | peak RSS | RSS at start | largest tensor |',
  '|---|---|---|---|---|---|---|---|',
  `| plain sequential fs reads (16 MiB reused buffer) | ${gbps(size, wall.plain)} | 1.00 | ${gbps(size, cpu.plain)} | 1.00 | | | |`,
];
for (const mode of ['read', 'readInto'] as const) {
  const rss = peakRss(mode);
  lines.push(
    `| checkpoint.${mode}() every tensor | ${gbps(tensorBytes, wall[mode])} | ${ratio(wall, mode)} | ${gbps(tensorBytes, cpu[mode])} | ${ratio(cpu, mode)} | ${mib(rss.peak)} | ${mib(rss.before)} | ${mib(rss.largest)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
