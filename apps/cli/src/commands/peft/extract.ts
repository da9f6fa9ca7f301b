import { resolve } from 'node:path';
import { extractAdapterFromCheckpoints, saveAdapter } from '@modelsmith/peft';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { createProgressReporter } from '../../io/progress-reporter.js';

const help = `Usage: modelsmith peft extract --base <ckpt> --tuned <ckpt> --rank R -o <adapter-dir> [options]

Extracts a LoRA adapter from a base and a fine-tuned checkpoint: for every 2-D ".weight" that
changed, ΔW = W_tuned − W_base is truncated by SVD, B = U·√S, A = √S·Vᵀ, lora_alpha = r (scaling 1).
Writes a valid HF PEFT adapter directory. Changed tensors that are not matrices (biases, norms)
are listed as skipped.

Options:
  --base CKPT        base checkpoint (.safetensors file or directory)
  --tuned CKPT       fine-tuned checkpoint with the same tensor names and shapes
  --rank R           rank per module (with --energy: the maximum rank)
  --energy F         smallest rank keeping fraction F of ‖ΔW‖² per module, e.g. 0.9
  --targets REGEX    only modules whose path (tensor name minus ".weight") fully matches REGEX
  -o, --output DIR   adapter directory to write
  --seed N           seed of the randomized SVD (default 0)
  --force            overwrite an existing adapter
  --json             print {"output", "modules": [{path, rank, relativeError}], "skipped"} as JSON

Example:
  modelsmith peft extract --base base/ --tuned tuned/ --rank 16 --targets '.*(q|v)_proj' -o extracted-lora/
`;

export const peftExtractCommand: Command = {
  path: ['peft', 'extract'],
  summary: 'extract a PEFT LoRA adapter from base + fine-tuned checkpoints by truncated SVD',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        base: { type: 'string' },
        tuned: { type: 'string' },
        rank: { type: 'string' },
        energy: { type: 'string' },
        targets: { type: 'string' },
        output: { type: 'string', short: 'o' },
        seed: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.base === undefined) throw new UsageError('missing --base <ckpt>');
    if (values.tuned === undefined) throw new UsageError('missing --tuned <ckpt>');
    if (values.output === undefined) throw new UsageError('missing -o <adapter-dir>');
    const rank = numberOption(values.rank, '--rank');
    const energy = numberOption(values.energy, '--energy');
    const seed = numberOption(values.seed, '--seed');
    if (rank === undefined && energy === undefined) throw new UsageError('give --rank R and/or --energy F');
    const progress = createProgressReporter(context);
    const { adapter, report } = await extractAdapterFromCheckpoints(
      {
        base: resolve(context.cwd, values.base),
        tuned: resolve(context.cwd, values.tuned),
        baseModelNameOrPath: values.base,
        ...(rank !== undefined ? { rank } : {}),
        ...(energy !== undefined ? { energy } : {}),
        ...(values.targets !== undefined ? { targets: values.targets } : {}),
        ...(seed !== undefined ? { seed } : {}),
      },
      progress,
    );
    progress.finish();
    const output = await saveAdapter(resolve(context.cwd, values.output), adapter, { force: values.force });
    if (values.json) printJson(context, { output, modules: report.modules, skipped: report.skipped });
    else {
      for (const m of report.modules)
        context.stdout(`${m.path}: rank ${m.rank}, relative error ${m.relativeError.toExponential(3)}\n`);
      if (report.skipped.length > 0)
        context.stdout(`skipped (not 2-D weights): ${report.skipped.join(', ')}\n`);
      context.stdout(`wrote ${output}\n`);
    }
    return 0;
  },
};
