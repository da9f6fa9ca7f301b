import { resolve } from 'node:path';
import { compressAdapter, loadAdapter, saveAdapter } from '@modelsmith/peft';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';

const help = `Usage: modelsmith peft compress --adapter <dir> --density D -o <dir> [options]

ComPEFT compression of a LoRA adapter: in every factor (lora_A, lora_B) keep the top D fraction of
entries by magnitude and replace them with sign·alpha, alpha = gamma·std(tensor). The output is a
regular PEFT adapter (dense, ternary values); the compression ratio assumes the stored form
(presence bitmask + one sign bit per kept entry + one float32 per tensor) against float32.

Options:
  --adapter DIR      PEFT adapter directory
  --density D        fraction kept per tensor, in (0, 1]
  --gamma G          alpha = G·std (default 1)
  --std dense|pruned std over the dense tensor (paper, default) or after pruning (reference code)
  -o, --output DIR   adapter directory to write
  --force            overwrite an existing adapter
  --json             print {"output", "tensors", "parameters", "kept", "compressionRatio"} as JSON

Example:
  modelsmith peft compress --adapter my-lora/ --density 0.1 -o my-lora-compeft/
`;

export const peftCompressCommand: Command = {
  path: ['peft', 'compress'],
  summary: 'compress a PEFT LoRA adapter with ComPEFT (top-k + ternary sign·alpha)',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        adapter: { type: 'string' },
        density: { type: 'string' },
        gamma: { type: 'string' },
        std: { type: 'string' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.adapter === undefined) throw new UsageError('missing --adapter <dir>');
    if (values.output === undefined) throw new UsageError('missing -o <dir>');
    const density = numberOption(values.density, '--density');
    if (density === undefined) throw new UsageError('missing --density D');
    const gamma = numberOption(values.gamma, '--gamma');
    if (values.std !== undefined && values.std !== 'dense' && values.std !== 'pruned') {
      throw new UsageError(`--std must be dense or pruned, got '${values.std}'`);
    }
    const adapter = await loadAdapter(resolve(context.cwd, values.adapter));
    const { adapter: compressed, report } = compressAdapter(adapter, {
      density,
      ...(gamma !== undefined ? { gamma } : {}),
      ...(values.std !== undefined ? { stdOf: values.std as 'dense' | 'pruned' } : {}),
    });
    const output = await saveAdapter(resolve(context.cwd, values.output), compressed, {
      force: values.force,
    });
    if (values.json) printJson(context, { output, ...report });
    else
      context.stdout(
        `kept ${report.kept} of ${report.parameters} entries in ${report.tensors} tensors; compression ratio ${report.compressionRatio.toFixed(2)}× → ${output}\n`,
      );
    return 0;
  },
};
