import { resolve } from 'node:path';
import {
  type Checkpoint,
  numelOf,
  openCheckpoint,
  type TensorStats,
  tensorStats,
} from '@modelsmith/core-tensor';
import { type Command, parseCommandArgs, printJson } from '../command.js';

const help = `Usage: modelsmith inspect <file.safetensors|directory> [--json] [--stats]

Lists the tensors of a safetensors checkpoint (name, dtype, shape, numel), the totals and the
count per dtype, reading only the headers. A directory is either sharded
(model.safetensors.index.json) or a set of .safetensors files.

Options:
  --stats   also read every tensor, one at a time, and print min, max, mean, std (population,
            over finite values, accumulated in float64) and the NaN and Inf counts
  --json    print {"tensors":[{"name","dtype","shape","numel"}...],"totalParams":N,"totalBytes":N}
            (each tensor gets "stats":{"min","max","mean","std","nan","inf"} with --stats)

Examples:
  modelsmith inspect examples/tiny.safetensors
  modelsmith inspect ./my-model --stats --json
`;

interface Row {
  name: string;
  dtype: string;
  shape: number[];
  numel: number;
  stats?: TensorStats;
}

function formatInteger(value: number): string {
  return value.toLocaleString('en-US');
}

function formatStat(value: number | null): string {
  if (value === null) return '-';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || magnitude < 1e-3 ? value.toExponential(3) : value.toPrecision(4);
}

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

async function collect(checkpoint: Checkpoint, withStats: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  // One tensor in memory at a time, read into a single reused buffer (no fresh pages per tensor).
  const largest = withStats ? Math.max(0, ...checkpoint.tensors.map((info) => info.byteLength)) : 0;
  const buffer = new Uint8Array(largest);
  for (const info of checkpoint.tensors) {
    const row: Row = {
      name: info.name,
      dtype: info.dtype,
      shape: [...info.shape],
      numel: numelOf(info.shape),
    };
    if (withStats) row.stats = tensorStats(await checkpoint.readInto(info.name, buffer));
    rows.push(row);
  }
  return rows;
}

export const inspectCommand: Command = {
  path: ['inspect'],
  summary: 'list the tensors of a safetensors checkpoint, with totals and optional statistics',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { json: { type: 'boolean', default: false }, stats: { type: 'boolean', default: false } },
      { min: 1, max: 1, names: '<file|dir>' },
    );
    const target = positionals[0]!;
    const checkpoint = await openCheckpoint(resolve(context.cwd, target));
    let rows: Row[];
    try {
      rows = await collect(checkpoint, values.stats);
    } finally {
      await checkpoint.close();
    }
    const totalParams = rows.reduce((sum, row) => sum + row.numel, 0);
    const totalBytes = checkpoint.tensors.reduce((sum, info) => sum + info.byteLength, 0);

    if (values.json) {
      printJson(context, {
        tensors: rows.map((row) => ({
          name: row.name,
          dtype: row.dtype,
          shape: row.shape,
          numel: row.numel,
          ...(row.stats ? { stats: row.stats } : {}),
        })),
        totalParams,
        totalBytes,
      });
      return 0;
    }

    const header = ['name', 'dtype', 'shape', 'numel'];
    const right = new Set([3]);
    if (values.stats) {
      header.push('min', 'max', 'mean', 'std', 'nan', 'inf');
      for (let column = 4; column < 10; column++) right.add(column);
    }
    const cells = rows.map((row) => {
      const base = [row.name, row.dtype, `[${row.shape.join(', ')}]`, formatInteger(row.numel)];
      if (!row.stats) return base;
      const { min, max, mean, std, nan, inf } = row.stats;
      return [
        ...base,
        formatStat(min),
        formatStat(max),
        formatStat(mean),
        formatStat(std),
        formatInteger(nan),
        formatInteger(inf),
      ];
    });
    const byDtype = new Map<string, { tensors: number; params: number }>();
    for (const row of rows) {
      const entry = byDtype.get(row.dtype) ?? { tensors: 0, params: 0 };
      entry.tensors++;
      entry.params += row.numel;
      byDtype.set(row.dtype, entry);
    }
    const lines = [
      `${target}: ${formatInteger(rows.length)} tensors, ${formatInteger(totalParams)} parameters, ${formatInteger(totalBytes)} bytes`,
      '',
      ...table(header, cells, right),
      '',
      `by dtype: ${[...byDtype.entries()]
        .map(
          ([dtype, entry]) =>
            `${dtype} ${formatInteger(entry.tensors)} tensors / ${formatInteger(entry.params)} params`,
        )
        .join('; ')}`,
    ];
    const metadataKeys = Object.keys(checkpoint.metadata);
    if (metadataKeys.length > 0)
      lines.push(
        `metadata: ${metadataKeys.map((key) => `${key}=${JSON.stringify(checkpoint.metadata[key])}`).join(', ')}`,
      );
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
