import { resolve } from 'node:path';
import { applyAdapterToCheckpoint } from '@modelsmith/peft';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { createProgressReporter } from '../../io/progress-reporter.js';

const help = `Usage: modelsmith peft apply --base <ckpt> --adapter <dir> -o <dir> [options]

Merges a HF PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors) into a base
safetensors checkpoint, streaming one tensor at a time: every targeted weight becomes
W + scale·(lora_alpha/r)·B·A (rsLoRA: alpha/sqrt(r); rank_pattern/alpha_pattern honoured; DoRA
re-normalised to the magnitude vector). The module path in an adapter key is the base tensor name
minus ".weight". All other tensors are copied bit for bit; dtypes and shard layout follow the base.

Options:
  --base CKPT        base checkpoint: .safetensors file or (sharded) directory
  --adapter DIR      PEFT adapter directory
  -o, --output DIR   output directory
  --scale S          extra factor on every delta (default 1)
  --force            overwrite existing output files
  --json             print {"merged", "replaced", "copied", "files", "totalSize"} as JSON

Example:
  modelsmith peft apply --base llama/ --adapter my-lora/ -o llama-merged/ --scale 1
`;

export const peftApplyCommand: Command = {
  path: ['peft', 'apply'],
  summary: 'merge a PEFT LoRA adapter into a safetensors checkpoint (streaming)',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        base: { type: 'string' },
        adapter: { type: 'string' },
        output: { type: 'string', short: 'o' },
        scale: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.base === undefined) throw new UsageError('missing --base <ckpt>');
    if (values.adapter === undefined) throw new UsageError('missing --adapter <dir>');
    if (values.output === undefined) throw new UsageError('missing -o <dir> (the output directory)');
    const scale = numberOption(values.scale, '--scale');
    const progress = createProgressReporter(context);
    const result = await applyAdapterToCheckpoint(
      {
        base: resolve(context.cwd, values.base),
        adapter: resolve(context.cwd, values.adapter),
        output: resolve(context.cwd, values.output),
        force: values.force,
        ...(scale !== undefined ? { scale } : {}),
      },
      progress,
    );
    progress.finish();
    if (values.json) printJson(context, result);
    else {
      context.stdout(
        `merged ${result.merged.length} weights, replaced ${result.replaced.length}, copied ${result.copied} tensors → ${result.files.length} file(s), ${result.totalSize} bytes\n`,
      );
    }
    return 0;
  },
};
