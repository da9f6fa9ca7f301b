import { chinchillaPresets, computeForLoss, computeOptimal } from '@modelsmith/scaling';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { formatNumber, readFitParams } from './shared.js';

const help = `Usage: modelsmith scaling optimal (--compute C | --target-loss L) [--preset NAME | --fit fit.json]

Compute-optimal allocation under L(N, D) = E + A/N^alpha + B/D^beta and C = 6ND:
N_opt = G·(C/6)^a, D_opt = G^-1·(C/6)^b, G = (alpha·A/(beta·B))^(1/(alpha+beta)).

Options:
  --compute C               training compute in FLOP
  --target-loss L           instead: the compute whose optimal model reaches loss L
  --preset NAME             epoch (default), hoffmann (rounded paper values) or hoffmann-tex
  --fit FILE                parameters from \`modelsmith scaling fit --json\` output
  --json                    print {"compute","params","tokens","tokensPerParam","loss","a","b","G","law"}

Example:
  modelsmith scaling optimal --compute 5.76e23 --preset epoch
`;

export const scalingOptimalCommand: Command = {
  path: ['scaling', 'optimal'],
  summary: 'compute-optimal parameters and tokens for a FLOP budget (or the budget for a target loss)',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        compute: { type: 'string' },
        'target-loss': { type: 'string' },
        preset: { type: 'string' },
        fit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    const compute = numberOption(values.compute, '--compute');
    const target = numberOption(values['target-loss'], '--target-loss');
    if ((compute === undefined) === (target === undefined)) {
      throw new UsageError('give exactly one of --compute or --target-loss');
    }
    if (values.preset !== undefined && values.fit !== undefined)
      throw new UsageError('give --preset or --fit, not both');
    let law: { E: number; A: number; B: number; alpha: number; beta: number };
    let source: string;
    if (values.fit !== undefined) {
      law = await readFitParams(values.fit);
      source = values.fit;
    } else {
      const name = values.preset ?? 'epoch';
      if (!Object.hasOwn(chinchillaPresets, name)) {
        throw new UsageError(
          `--preset must be one of ${Object.keys(chinchillaPresets).join(', ')}, got '${name}'`,
        );
      }
      law = chinchillaPresets[name as keyof typeof chinchillaPresets];
      source = `preset ${name}`;
    }
    const result = compute !== undefined ? computeOptimal(law, compute) : computeForLoss(law, target!);
    if (values.json) {
      printJson(context, { ...result, law, source });
      return 0;
    }
    context.stdout(
      [
        `Compute-optimal allocation (${source})`,
        `  compute          ${formatNumber(result.compute)} FLOP`,
        `  parameters N     ${formatNumber(result.params)}`,
        `  tokens D         ${formatNumber(result.tokens)}`,
        `  tokens/param     ${formatNumber(result.tokensPerParam)}`,
        `  predicted loss   ${formatNumber(result.loss)}`,
        `  a = ${formatNumber(result.a)}, b = ${formatNumber(result.b)}, G = ${formatNumber(result.G)}`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
