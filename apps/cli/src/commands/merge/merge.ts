import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type MergePlan, mergeCheckpoints, parseMergeConfig, planMergeCheckpoints } from '@modelsmith/merge';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { createProgressReporter } from '../../io/progress-reporter.js';

const help = `Usage: modelsmith merge <config.yaml> -o <dir> [options]

Merges safetensors checkpoints with a mergekit recipe (merge_method, base_model, models[].parameters,
global parameters, gradients, filters, slices with layer_range, dtype, out_dtype, tokenizer_source: base).
Model paths are safetensors files or directories (single or sharded), relative to the YAML file.
All headers are checked before any tensor is read; output is written atomically.

Methods: linear slerp nuslerp multislerp karcher task_arithmetic ties dare_linear dare_ties breadcrumbs
breadcrumbs_ties della della_linear model_stock nearswap sce passthrough (and pcb). Add \`preset: paper\` for the
papers' semantics (see the @modelsmith/merge README for every named option).

Options:
  -o, --output DIR          output directory (required unless --dry-run)
  --seed N                  seed of the DARE/DELLA masks (default 0); same seed → same bytes
  --max-shard-size SIZE     largest output shard, e.g. 5GB (default), 500MB, 2e9
  --out-dtype DTYPE         bf16 | f16 | f32 (also bfloat16, float16, float32); overrides the config
  --force                   overwrite existing output files
  --dry-run                 print the plan (tensors, parameters, bytes) without reading tensor data
  --json                    print the plan or the result as JSON

Example:
  modelsmith merge examples/merge/ties.yaml -o merged/ --seed 1 --max-shard-size 2GB
`;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  ki: 1024,
  mi: 1024 ** 2,
  gi: 1024 ** 3,
  ti: 1024 ** 4,
};

/** `5GB`, `500MB`, `1B` (mergekit's "billion"), `2GiB`, `2e9` → bytes. */
export function parseByteSize(text: string, flag: string): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([kmgt]i?)?b?\s*$/i.exec(text);
  const billions = /^\s*([0-9]*\.?[0-9]+)\s*B\s*$/.exec(text);
  let bytes: number | undefined;
  if (billions) bytes = Number(billions[1]) * 1e9;
  else if (match) bytes = Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]!;
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 1) {
    throw new UsageError(`${flag} must be a size such as 5GB, 500MB or 2e9, got '${text}'`);
  }
  return Math.floor(bytes);
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

function planJson(plan: MergePlan) {
  return {
    method: plan.method,
    preset: plan.preset,
    inputs: plan.checkpoints,
    tensors: plan.tensors.map((t) => ({
      name: t.name,
      shape: t.shape,
      dtype: t.outDtype,
      kind: t.kind,
      rowChunked: t.rowLocal,
      parameters: t.global,
      modelParameters: t.perModel,
    })),
    readBytes: plan.readBytes,
    writeBytes: plan.writeBytes,
    ...(plan.outputLayers !== undefined ? { outputLayers: plan.outputLayers } : {}),
    warnings: plan.warnings,
  };
}

function planText(plan: MergePlan): string {
  const lines = [
    `merge_method ${plan.method} (preset ${plan.preset}), ${plan.tensors.length} tensors from ${plan.checkpoints.length} inputs:`,
  ];
  for (const path of plan.checkpoints) lines.push(`  input ${path}`);
  for (const t of plan.tensors) {
    const params = t.kind === 'copy' ? 'copy' : `${JSON.stringify(t.global)} ${JSON.stringify(t.perModel)}`;
    lines.push(
      `  ${t.name} [${t.shape.join(', ')}] ${t.outDtype}${t.rowLocal ? ' row-chunked' : ''} ${params}`,
    );
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  lines.push(`reads ${formatBytes(plan.readBytes)}, writes ${formatBytes(plan.writeBytes)}`);
  return `${lines.join('\n')}\n`;
}

export const mergeCommand: Command = {
  path: ['merge'],
  summary: 'merge checkpoints with a mergekit YAML recipe (TIES, DARE, SLERP, model stock, …), streaming',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        output: { type: 'string', short: 'o' },
        seed: { type: 'string' },
        'max-shard-size': { type: 'string' },
        'out-dtype': { type: 'string' },
        force: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<config.yaml>' },
    );
    const configPath = resolve(context.cwd, positionals[0]!);
    let text: string;
    try {
      text = await readFile(configPath, 'utf8');
    } catch {
      throw new UsageError(`cannot read the config file ${configPath}`);
    }
    const config = parseMergeConfig(text, { baseDirectory: dirname(configPath) });
    const seed = numberOption(values.seed, '--seed');
    if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0))
      throw new UsageError(`--seed must be a non-negative integer, got '${values.seed}'`);
    const outDtype = values['out-dtype'];
    if (values['dry-run']) {
      const plan = await planMergeCheckpoints(config, outDtype !== undefined ? { outDtype } : {});
      if (values.json) printJson(context, planJson(plan));
      else context.stdout(planText(plan));
      return 0;
    }
    if (values.output === undefined) throw new UsageError('missing -o <dir> (the output directory)');
    const progress = createProgressReporter(context);
    // Ctrl-C: stop after the current tensor and remove the temporary shards (nothing complete-looking is left).
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    const result = await mergeCheckpoints(config, {
      signal: controller.signal,
      outputDirectory: resolve(context.cwd, values.output),
      ...(seed !== undefined ? { seed } : {}),
      ...(values['max-shard-size'] !== undefined
        ? { maxShardBytes: parseByteSize(values['max-shard-size'], '--max-shard-size') }
        : {}),
      ...(outDtype !== undefined ? { outDtype } : {}),
      force: values.force,
      onProgress: progress,
    }).finally(() => process.off('SIGINT', onInterrupt));
    progress.finish();
    for (const warning of result.plan.warnings) context.stderr(`warning: ${warning}\n`);
    if (values.json) {
      printJson(context, {
        output: resolve(context.cwd, values.output),
        method: result.plan.method,
        seed: seed ?? 0,
        tensors: result.plan.tensors.length,
        files: result.files,
        totalSize: result.totalSize,
        copiedFiles: result.copiedFiles,
      });
    } else {
      context.stdout(
        `merged ${result.plan.tensors.length} tensors (${result.plan.method}) into ${values.output}: ${result.files.length} file(s), ${formatBytes(result.totalSize)}` +
          `${result.copiedFiles.length > 0 ? `; copied ${result.copiedFiles.join(', ')}` : ''}\n`,
      );
    }
    return 0;
  },
};
