import { resolve } from 'node:path';
import {
  COMBINATION_TYPES,
  type CombinationType,
  combineAdapters,
  loadAdapter,
  saveAdapter,
} from '@modelsmith/peft';
import {
  type Command,
  numberListOption,
  numberOption,
  parseCommandArgs,
  printJson,
  UsageError,
} from '../../command.js';

const help = `Usage: modelsmith peft combine --adapters a,b --weights wa,wb --method M -o <dir> [options]

Combines LoRA adapters into one (PEFT's add_weighted_adapter types). Every method except "cat"
works on the full ΔWᵢ = sᵢ·Bᵢ·Aᵢ and re-factorises the result by truncated SVD (B = U·S, A = Vᵀ),
avoiding the cross terms of factor-wise merging; "cat" concatenates the scaled factors and is exact.
The result has lora_alpha = r (scaling 1).

Methods: ${COMBINATION_TYPES.join(' ')}

Options:
  --adapters A,B,...   adapter directories
  --weights W,W,...    one weight per adapter
  --method M           combination type (default svd)
  --density D          kept fraction for ties, dare_*, magnitude_prune (default 1)
  --majority-sign M    total | frequency (TIES sign election, default total)
  --rank R             rank of the SVD result (default: largest source rank per module)
  --seed N             seed of the DARE masks (default 0)
  -o, --output DIR     adapter directory to write
  --force              overwrite an existing adapter
  --json               print {"output", "modules": [{path, rank, error, tailMass}]} as JSON

Example:
  modelsmith peft combine --adapters math-lora/,code-lora/ --weights 0.5,0.5 --method svd -o mixed-lora/
`;

export const peftCombineCommand: Command = {
  path: ['peft', 'combine'],
  summary: 'combine LoRA adapters (svd, cat, ties, dare_*, magnitude_prune) on the full ΔW',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        adapters: { type: 'string' },
        weights: { type: 'string' },
        method: { type: 'string', default: 'svd' },
        density: { type: 'string' },
        'majority-sign': { type: 'string' },
        rank: { type: 'string' },
        seed: { type: 'string' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.adapters === undefined) throw new UsageError('missing --adapters a,b');
    if (values.output === undefined) throw new UsageError('missing -o <dir>');
    const dirs = values.adapters.split(',').filter((part) => part.length > 0);
    const weights = numberListOption(values.weights, '--weights') ?? dirs.map(() => 1 / dirs.length);
    if (weights.length !== dirs.length)
      throw new UsageError(`--weights has ${weights.length} values for ${dirs.length} adapters`);
    if (!(COMBINATION_TYPES as readonly string[]).includes(values.method)) {
      throw new UsageError(`--method must be one of ${COMBINATION_TYPES.join(', ')}, got '${values.method}'`);
    }
    const sign = values['majority-sign'];
    if (sign !== undefined && sign !== 'total' && sign !== 'frequency') {
      throw new UsageError(`--majority-sign must be total or frequency, got '${sign}'`);
    }
    const density = numberOption(values.density, '--density');
    const rank = numberOption(values.rank, '--rank');
    const seed = numberOption(values.seed, '--seed');
    const adapters = await Promise.all(dirs.map((dir) => loadAdapter(resolve(context.cwd, dir))));
    const { adapter, report } = combineAdapters(adapters, {
      weights,
      method: values.method as CombinationType,
      ...(density !== undefined ? { density } : {}),
      ...(sign !== undefined ? { majoritySignMethod: sign as 'total' | 'frequency' } : {}),
      ...(rank !== undefined ? { svdRank: rank } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    const output = await saveAdapter(resolve(context.cwd, values.output), adapter, { force: values.force });
    if (values.json) printJson(context, { output, modules: report.modules });
    else {
      for (const m of report.modules)
        context.stdout(
          `${m.path}: rank ${m.rank}, ‖ΔW − BA‖ ${m.error.toExponential(3)} (tail mass ${m.tailMass.toExponential(3)})\n`,
        );
      context.stdout(`wrote ${output}\n`);
    }
    return 0;
  },
};
