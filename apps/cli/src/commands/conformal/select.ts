import { clippedSelectionScores, conformalSelection, selectionMetrics } from '@modelsmith/conformal';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { readYPredColumns } from '../../io/y-pred-columns.js';
import { CAL_TEST_FLAGS, fmt, levelOption, readCalTest } from './conformal-input.js';

const help = `Usage: modelsmith conformal select --cal cal.csv --test test.csv --fdr 0.1 --threshold c [--json]

Conformal selection (cfBH, Jin & Candès 2023): selects test rows whose unknown y is believed to exceed c,
with the false discovery rate controlled at --fdr in finite samples. Uses the clipped score
V = M·1{y > c} + c·1{y <= c} - pred and deterministic conformal p-values, then Benjamini–Hochberg.

Columns: cal: y,pred   test: pred (y optional: then the realised FDP and power are reported in text mode)

Options:
  --cal <file>        labelled calibration CSV, not used to fit the predictor
  --test <file>       test CSV
  --fdr <q>           target FDR in (0,1)
  --threshold <c>     select units with y > c
  --json              print {"pValues":[...],"selected":[indices...]} (0-based test row indices)

Example:
  modelsmith conformal select --cal cal.csv --test test.csv --fdr 0.1 --threshold 0 --json
`;

export const conformalSelectCommand: Command = {
  path: ['conformal', 'select'],
  summary: 'Conformal selection (cfBH) of test rows with y above a threshold, FDR-controlled',
  help,
  async run(argv, context) {
    const { values } = parseCommandArgs(
      argv,
      {
        ...CAL_TEST_FLAGS,
        fdr: { type: 'string' },
        threshold: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      { min: 0, max: 0, names: '' },
    );
    const fdr = levelOption(values.fdr, '--fdr');
    const c = numberOption(values.threshold, '--threshold');
    if (c === undefined) throw new UsageError('missing --threshold <c>');
    const { cal, test } = await readCalTest(values, context.cwd);
    const { calY, calPredictions, testPredictions, testY } = readYPredColumns(cal, test);
    const scores = clippedSelectionScores({
      calY,
      calPredictions,
      testPredictions,
      calThreshold: c,
      testThreshold: c,
    });
    const { pValues, selected } = conformalSelection({
      calScores: scores.calScores,
      testScores: scores.testScores,
      fdr,
    });
    if (values.json) {
      printJson(context, { pValues: Array.from(pValues), selected });
      return 0;
    }
    const lines = [
      `cfBH at FDR ${fdr}, threshold y > ${fmt(c)}: selected ${selected.length} of ${pValues.length} test rows`,
    ];
    if (testY !== undefined) {
      const { fdp, power } = selectionMetrics(
        selected,
        Array.from(testY, (v) => v > c),
      );
      lines.push(`realised FDP ${fmt(fdp)}, power ${fmt(power)}`);
    }
    lines.push(`selected rows (0-based): ${selected.join(', ')}`);
    lines.push('row,p_value');
    pValues.forEach((p, j) => {
      lines.push(`${j},${fmt(p)}`);
    });
    context.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
