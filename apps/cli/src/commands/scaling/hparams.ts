import { stepLawHyperparameters } from '@modelsmith/scaling';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { formatNumber } from './shared.js';

const help = `Usage: modelsmith scaling hparams --params N --tokens D [--json]

Step Law (Li et al. 2025) optimal peak learning rate and batch size:
  lr = 1.79 · N^-0.713 · D^0.307      batch = 0.58 · D^0.571 tokens
N counts non-embedding parameters, D training tokens.

Options:
  --params N        non-embedding parameters
  --tokens D        training tokens
  --json            print {"params","tokens","learningRate","batchTokens","law"}

Example:
  modelsmith scaling hparams --params 1e9 --tokens 1e11
`;

export const scalingHparamsCommand: Command = {
  path: ['scaling', 'hparams'],
  summary: 'Step Law optimal learning rate and batch size for a model size and token budget',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      { params: { type: 'string' }, tokens: { type: 'string' }, json: { type: 'boolean', default: false } },
      { min: 0, max: 0, names: '' },
    );
    const params = numberOption(values.params, '--params');
    const tokens = numberOption(values.tokens, '--tokens');
    if (params === undefined || tokens === undefined) throw new UsageError('give both --params and --tokens');
    const h = stepLawHyperparameters(params, tokens);
    if (values.json) {
      printJson(context, { params, tokens, ...h, law: 'step-law' });
      return 0;
    }
    context.stdout(
      `Step Law for N = ${formatNumber(params)}, D = ${formatNumber(tokens)}\n` +
        `  learning rate  ${formatNumber(h.learningRate)}\n` +
        `  batch size     ${formatNumber(h.batchTokens)} tokens\n`,
    );
    return 0;
  },
};
